import { csvLine, type CsvValue } from "@/lib/csv";
import { scoreGroup, scoreGroupLabel, standingMove, type Activity } from "@/lib/scoring/standing";
import { CONTACT_OUTCOME_LABELS } from "../contact-outcomes";
import type { CallListRow } from "./types";

/**
 * The columns of an exported call list: what the screen shows, plus the identifiers and
 * segment columns a spreadsheet user filters by. Scores are exact points (hundredths / 100).
 * A new account (it did not exist on the comparison day) has no previous score: those cells
 * stay empty, and its band change reads "new".
 */
const ACTIVITY_LABELS: Record<Activity, string> = { active: "Active", silent: "Silent", not_active_yet: "Not active yet" };

/** The columns; `before` stands for the comparison period in the headers ("30 days ago"). */
function columns(before: string): readonly { header: string; value: (row: CallListRow) => CsvValue }[] {
  return [
    { header: "Account", value: (r) => r.name },
    { header: "External ID", value: (r) => r.externalId },
    { header: "Score", value: (r) => r.scoreHundredths / 100 },
    { header: "Band", value: (r) => scoreGroupLabel(scoreGroup(r.band, r.activity)) },
    { header: "Activity", value: (r) => ACTIVITY_LABELS[r.activity] },
    { header: `Score ${before}`, value: (r) => (r.previousHundredths === null ? null : r.previousHundredths / 100) },
    {
      header: `Band ${before}`,
      value: (r) => (r.previousBand === null || r.previousActivity === null ? null : scoreGroupLabel(scoreGroup(r.previousBand, r.previousActivity))),
    },
    { header: "Change", value: (r) => (r.previousHundredths === null ? null : (r.scoreHundredths - r.previousHundredths) / 100) },
    { header: "Declining", value: (r) => (r.declining ? "yes" : "no") },
    {
      header: "Band change",
      value: (r) =>
        standingMove(
          { band: r.band, activity: r.activity },
          r.previousBand === null || r.previousActivity === null ? null : { band: r.previousBand, activity: r.previousActivity },
        ).label,
    },
    { header: "First day", value: (r) => r.firstDate },
    { header: "Renewal date", value: (r) => r.renewalDate },
    { header: "Trial end date", value: (r) => r.trialEndDate },
    { header: "ARR", value: (r) => r.arr },
    { header: "Plan", value: (r) => r.plan },
    { header: "Region", value: (r) => r.region },
    { header: "Industry", value: (r) => r.industry },
    { header: "Stage", value: (r) => r.stage },
    { header: "Account manager", value: (r) => r.accountManager },
    { header: "Last contact", value: (r) => (r.lastContact ? new Date(r.lastContact.at).toISOString() : null) },
    { header: "Last contact outcome", value: (r) => (r.lastContact ? CONTACT_OUTCOME_LABELS[r.lastContact.outcome] : null) },
    { header: "Last contacted by", value: (r) => r.lastContact?.by },
    { header: "Snoozed until", value: (r) => r.snoozedUntil },
  ];
}

const VALUES = columns("").map((c) => c.value);

export function callListCsvHeaders(compareDays: number): readonly string[] {
  return columns(`${compareDays} days ago`).map((c) => c.header);
}

export function callListCsvHeader(compareDays: number): string {
  return csvLine(callListCsvHeaders(compareDays));
}

export function callListCsvRecord(row: CallListRow): string {
  return csvLine(VALUES.map((value) => value(row)));
}
