import { normalizeFieldName } from "./account-fields";

/**
 * The columns an import adds in front of the rows it rejects (the rejects file,
 * lib/ingestion/rejects.ts). A fixed rejects file can be imported as it is: these columns are
 * read as nothing and are not part of a row's content (its generated id).
 */
export const REJECT_COLUMNS = ["rejected_line", "rejected_field", "rejected_reason"] as const;

const NORMALIZED = new Set<string>(REJECT_COLUMNS.map(normalizeFieldName));

export function isRejectColumn(header: string): boolean {
  return NORMALIZED.has(normalizeFieldName(header));
}
