import type { LifecycleStage } from "@/db/schema";
import { formatCount } from "@/lib/format";
import { BAND_INFO, bandRangeLabel, TIER_BANDS, type Band, type BandThresholds, type Tier } from "@/lib/scoring/bands";
import { RENEWAL_WINDOW_DAYS } from "./membership";
import type { CallListCounts } from "./types";

/**
 * The lists an account manager works: the three score tiers of PRODUCT.md, the accounts
 * whose score just dropped, the trials, the new accounts not active yet (onboarding, not
 * churn risk: lib/scoring/standing.ts) and the upsell candidates.
 */
export const CALL_LISTS = ["high", "medium", "low", "drops", "trials", "onboarding", "upsell"] as const;
export type CallListId = (typeof CALL_LISTS)[number];

export function isTierList(list: CallListId): list is Tier {
  return list === "high" || list === "medium" || list === "low";
}

export const STAGE_LABELS: Record<LifecycleStage, string> = {
  trial: "Trial",
  customer: "Customer",
  churned: "Churned",
};
export const STAGES = Object.keys(STAGE_LABELS) as LifecycleStage[];

export interface PlaybookLine {
  /** The band the line is about, for its colour; null for lists that are not a band. */
  band: Band | null;
  text: string;
}

export interface CallListInfo {
  id: CallListId;
  /** Short tab label: "80–100", "Score drops". */
  label: string;
  /** The heading above the list. */
  title: string;
  /** What the list is for and what to do with it (PRODUCT.md). */
  playbook: PlaybookLine[];
  /** How the list is ordered when the user has not chosen a column. */
  orderDescription: string;
}

/** "Low: Very unengaged, …": the band's name, unless its playbook already starts with it. */
function bandPlaybook(band: Band): PlaybookLine {
  const { label, playbook } = BAND_INFO[band];
  return { band, text: playbook.toLowerCase().startsWith(label.toLowerCase()) ? playbook : `${label}: ${playbook}` };
}

function tierPlaybook(tier: Tier): PlaybookLine[] {
  return TIER_BANDS[tier].map(bandPlaybook);
}

/** Labels and playbooks of every list; tier ranges follow the configured thresholds, texts the window. */
export function callListInfo(list: CallListId, thresholds: BandThresholds, windowDays: number): CallListInfo {
  switch (list) {
    case "high":
      return {
        id: list,
        label: bandRangeLabel("high", thresholds),
        title: `High engagement · ${bandRangeLabel("high", thresholds)}`,
        playbook: tierPlaybook("high"),
        orderDescription: "Highest score first; power users are flagged as upsell and advocacy candidates.",
      };
    case "medium":
      return {
        id: list,
        label: bandRangeLabel("medium", thresholds),
        title: `Medium engagement · ${bandRangeLabel("medium", thresholds)}`,
        playbook: tierPlaybook("medium"),
        orderDescription: `Renewals within ${RENEWAL_WINDOW_DAYS} days first, by renewal date.`,
      };
    case "low":
      return {
        id: list,
        label: bandRangeLabel("low", thresholds),
        title: `Low engagement · ${bandRangeLabel("low", thresholds)}`,
        // Churn risk leads: those accounts top this list. It has two causes, told apart on every row.
        playbook: [
          {
            band: "churn_risk",
            text: `Churn risk (score ≤ ${thresholds.churnRiskMax}): silent accounts (no event that counts toward the score in ${windowDays} days) and accounts whose negative signals outweigh usage. Intervene now.`,
          },
          bandPlaybook("low"),
          { band: null, text: `New accounts without events yet are not here: they are on the Onboarding list.` },
        ],
        orderDescription: `Churn risk (score ≤ ${thresholds.churnRiskMax}) first and flagged, then lowest score first.`,
      };
    case "drops":
      return {
        id: list,
        label: "Score drops",
        title: "Score drops",
        playbook: [{ band: null, text: "The moment a score declines is the moment to reach out: these accounts fell furthest." }],
        orderDescription: "Largest drop first.",
      };
    case "trials":
      return {
        id: list,
        label: "Trials",
        title: "Trials",
        playbook: [{ band: null, text: "Free-trial accounts, most engaged first: the likeliest to convert to a paid plan." }],
        orderDescription: "Highest score first (likelihood to convert), then the trial that ends soonest.",
      };
    case "onboarding":
      return {
        id: list,
        label: "Onboarding",
        title: "Onboarding · not active yet",
        playbook: [
          {
            band: null,
            text: `New accounts inside their first ${windowDays} days with no event that counts toward the score yet. Not churn risk: onboarding work. Help them get started (a personal onboarding, a checklist).`,
          },
        ],
        orderDescription: "Longest since signup first: their first window closes soonest.",
      };
    case "upsell":
      return {
        id: list,
        label: "Upsell",
        title: "Upsell candidates",
        playbook: [bandPlaybook("power"), bandPlaybook("high")],
        orderDescription: "Customers in the high and power-user bands, highest score first, then the largest ARR.",
      };
  }
}

/**
 * What a list's tab counts, in words: a tier names the band it is named for and what else it
 * holds ("138, and 314 power users"; "794, and 252 churn risk"), so the tab and the overview's
 * band cards read the same numbers. Other lists give their size.
 */
export function listTabCount(list: CallListId, counts: CallListCounts): string {
  const { main, extra } = listTabParts(list, counts);
  return extra ? `${main}, ${extra}` : main;
}

/** The same in two parts, for a tab that puts what else a tier holds on a line of its own. */
export function listTabParts(list: CallListId, counts: CallListCounts): { main: string; extra: string | null } {
  switch (list) {
    case "high":
      return { main: formatCount(counts.high - counts.power), extra: `and ${formatCount(counts.power)} power ${counts.power === 1 ? "user" : "users"}` };
    case "low":
      return { main: formatCount(counts.low - counts.churnRisk), extra: `and ${formatCount(counts.churnRisk)} churn risk` };
    default:
      return { main: formatCount(listCount(list, counts)), extra: null };
  }
}

/** How many accounts a list holds under the filters (the whole tier for 40–80). */
export function listCount(list: CallListId, counts: CallListCounts): number {
  switch (list) {
    case "high":
      return counts.high;
    case "medium":
      return counts.medium;
    case "low":
      return counts.low;
    case "drops":
      return counts.drops;
    case "trials":
      return counts.trials;
    case "onboarding":
      return counts.onboarding;
    case "upsell":
      return counts.upsell;
  }
}

/**
 * The churn risk on the 1–40 list by cause: "252 churn risk: 209 silent, 43 negative signals
 * outweigh usage"; null when there is none.
 */
export function churnRiskBreakdown(counts: CallListCounts): string | null {
  if (counts.churnRisk === 0) return null;
  const negative = counts.churnRisk - counts.silent;
  return `${formatCount(counts.churnRisk)} churn risk: ${formatCount(counts.silent)} silent, ${formatCount(negative)} with negative signals outweighing usage`;
}
