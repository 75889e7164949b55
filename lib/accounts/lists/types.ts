import type { LifecycleStage } from "@/db/schema";
import type { ScoreStandingView } from "@/lib/scoring/standing";
import type { ContactOutcome } from "../contact-outcomes";

/** What the call-list queries return (lib/accounts/server/lists/), as the API sends it. */

export interface LastContact {
  /** ms since the epoch. */
  at: number;
  outcome: ContactOutcome;
  by: string;
}

export interface CallListRow extends ScoreStandingView {
  id: number;
  externalId: string;
  name: string;
  plan: string | null;
  region: string | null;
  industry: string | null;
  stage: LifecycleStage;
  accountManager: string | null;
  renewalDate: string | null;
  trialEndDate: string | null;
  arr: number | null;
  lastContact: LastContact | null;
  /** The date the account comes back on the lists, when it is snoozed. */
  snoozedUntil: string | null;
}

export interface CallListResult {
  rows: CallListRow[];
  /** Accounts on the whole list (all pages). */
  total: number;
}

/** How many accounts each list holds under the shared filters (for the list tabs). */
export interface CallListCounts {
  /** The 80–100 tier: high and power users. */
  high: number;
  power: number;
  medium: number;
  mediumRenewals: number;
  /** The 1–40 tier: low and churn risk (accounts not active yet are onboarding work, not on it). */
  low: number;
  churnRisk: number;
  /** Of the churn risk: silent accounts (no scored events); the rest have negative signals outweighing usage. */
  silent: number;
  drops: number;
  trials: number;
  upsell: number;
  /** Accounts inside their first window without scored events. */
  onboarding: number;
  /** Accounts matching the filters on any list. */
  total: number;
  /** Accounts the filters match that are snoozed (hidden unless snoozed ones are shown). */
  snoozed: number;
}

export interface CallListFacets {
  managers: string[];
  plans: string[];
  regions: string[];
  industries: string[];
}

/** One page of a list as the page and the API hand it to the browser. */
export interface CallListPageData extends CallListResult {
  page: number;
  pageSize: number;
  pageCount: number;
  /** The UTC day the server took as today (ISO), for "3 days ago" and the renewal window. */
  today: string;
}
