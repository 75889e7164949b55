import type { LifecycleStage } from "@/db/schema";
import type { Band } from "../scoring/bands";
import type { ContactOutcome } from "../worklist/outcomes";

/** What the call-list queries return (lib/server/call-lists.ts), as the API sends it. */

export interface LastContact {
  /** ms since the epoch. */
  at: number;
  outcome: ContactOutcome;
  by: string;
}

export interface CallListRow {
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
  scoreHundredths: number;
  previousHundredths: number;
  band: Band;
  previousBand: Band;
  declining: boolean;
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
  high: number;
  power: number;
  medium: number;
  mediumRenewals: number;
  low: number;
  churnRisk: number;
  drops: number;
  trials: number;
  upsell: number;
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
