import { csvLine, type CsvValue } from "../csv";
import { BAND_INFO } from "../scoring/bands";
import { bandChange } from "../scoring/band-change";
import { CONTACT_OUTCOME_LABELS } from "../worklist/outcomes";
import type { CallListRow } from "./types";

/**
 * The columns of an exported call list: what the screen shows, plus the identifiers and
 * segment columns a spreadsheet user filters by. Scores are exact points (hundredths / 100).
 */
const COLUMNS: readonly { header: string; value: (row: CallListRow) => CsvValue }[] = [
  { header: "Account", value: (r) => r.name },
  { header: "External ID", value: (r) => r.externalId },
  { header: "Score", value: (r) => r.scoreHundredths / 100 },
  { header: "Band", value: (r) => BAND_INFO[r.band].label },
  { header: "Score 30 days ago", value: (r) => r.previousHundredths / 100 },
  { header: "Change", value: (r) => (r.scoreHundredths - r.previousHundredths) / 100 },
  { header: "Declining", value: (r) => (r.declining ? "yes" : "no") },
  { header: "Band change", value: (r) => bandChange(r.previousBand, r.band).label },
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

export const CALL_LIST_CSV_HEADERS: readonly string[] = COLUMNS.map((c) => c.header);

export function callListCsvHeader(): string {
  return csvLine(CALL_LIST_CSV_HEADERS);
}

export function callListCsvRecord(row: CallListRow): string {
  return csvLine(COLUMNS.map((c) => c.value(row)));
}
