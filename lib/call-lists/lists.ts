import type { LifecycleStage } from "@/db/schema";
import { BAND_INFO, bandRangeLabel, TIER_BANDS, type Band, type BandThresholds, type Tier } from "../scoring/bands";

/**
 * The lists an account manager works: the three score tiers of PRODUCT.md, the accounts
 * whose score just dropped, the trials and the upsell candidates.
 */
export const CALL_LISTS = ["high", "medium", "low", "drops", "trials", "upsell"] as const;
export type CallListId = (typeof CALL_LISTS)[number];

export function isTierList(list: CallListId): list is Tier {
  return list === "high" || list === "medium" || list === "low";
}

/** Renewals within this many days come first on the 40–80 list ("call three months before"). */
export const RENEWAL_WINDOW_DAYS = 90;

export const STAGE_LABELS: Record<LifecycleStage, string> = {
  trial: "Trial",
  customer: "Customer",
  churned: "Churned",
};
export const STAGES = Object.keys(STAGE_LABELS) as LifecycleStage[];

export function isStage(value: string): value is LifecycleStage {
  return (STAGES as string[]).includes(value);
}

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

/** Labels and playbooks of every list; tier ranges follow the configured thresholds. */
export function callListInfo(list: CallListId, thresholds: BandThresholds): CallListInfo {
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
        // Churn risk leads: those accounts top this list.
        playbook: [...tierPlaybook("low")].reverse(),
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
