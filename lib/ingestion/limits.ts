/** Limits of the ingestion endpoints (issue #4). Bigger inputs are refused with 413. */
export const MAX_EVENT_BYTES = 32 * 1024;
/** Per request, after decompression. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
export const MAX_BATCH_EVENTS = 2500;
/** Dates (events from 2000-01-01 to a day ahead, and so on) are in lib/date-ranges.ts. */
/** Ids, names and trait values longer than this are refused rather than truncated. */
export const MAX_ID_LENGTH = 200;
export const MAX_TEXT_LENGTH = 200;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
/** A quantity (native API and CSV) counts as that many occurrences of the event. */
export const MAX_QUANTITY = 1_000_000;
