/**
 * What happened at a renewal. Shared by the database schema, the ingestion APIs, CSV import
 * and the UI, so the four outcomes are spelled once. Three of them are renewals (the customer
 * stayed, on a bigger, the same or a smaller contract); one is a churn.
 */
export const RENEWAL_OUTCOMES = ["renewed", "expanded", "contracted", "churned"] as const;
export type RenewalOutcome = (typeof RENEWAL_OUTCOMES)[number];

export const RENEWAL_OUTCOME_LABELS: Record<RenewalOutcome, string> = {
  renewed: "Renewed",
  expanded: "Expanded",
  contracted: "Contracted",
  churned: "Churned",
};

export function isRenewalOutcome(value: string): value is RenewalOutcome {
  return (RENEWAL_OUTCOMES as readonly string[]).includes(value);
}

/** Whether the customer stayed: every outcome but a churn counts as a renewal. */
export function stayed(outcome: RenewalOutcome): boolean {
  return outcome !== "churned";
}

/** Where an outcome came from, for the record. */
export const OUTCOME_SOURCES = ["api", "segment", "csv", "demo"] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];
