/**
 * Score history is stored as one blob per account: little-endian Int32 hundredths, one per
 * UTC day. Int32 holds ±21 million points exactly; anything beyond saturates rather than wraps.
 *
 * The blob holds the CLOSED days of the history: from its start day to the day before the
 * scores' day (as_of_day). The scores' own day is the account's current score, kept in
 * account_scores: live events change only that day, so keeping them current rewrites a small
 * row instead of every account's 1.4 kB history (docs/adr/0008-performance-at-scale.md).
 * Read a history through `historyThroughDay`, which puts the two together. Blobs written
 * before that change also hold the scores' day; readers ignore it.
 */
const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

export function saturateInt32(value: number): number {
  return Math.max(INT32_MIN, Math.min(INT32_MAX, Math.round(value)));
}

export function encodeHistory(series: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(series.length * 4);
  for (let i = 0; i < series.length; i++) buf.writeInt32LE(saturateInt32(series[i] ?? 0), i * 4);
  return buf;
}

export function decodeHistory(blob: Uint8Array): Int32Array {
  const out = new Int32Array(Math.floor(blob.byteLength / 4));
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}

/** How many closed days a history starting on `startDay` holds when the scores are as of `asOfDay`. */
export function closedDays(startDay: number, asOfDay: number): number {
  return Math.max(0, asOfDay - startDay);
}

/**
 * The closed days of a stored history, exactly closedDays(startDay, asOfDay) long: a blob
 * written before the closed-days rule loses its extra last day, a short one is padded with 0.
 * `extra` leaves that many more cells (0) at the end.
 */
export function closedHistory(blob: Uint8Array, startDay: number, asOfDay: number, extra = 0): Int32Array {
  const closed = closedDays(startDay, asOfDay);
  const stored = decodeHistory(blob);
  const out = new Int32Array(closed + extra);
  out.set(stored.subarray(0, Math.min(closed, stored.length)));
  return out;
}

/**
 * An account's daily scores from `startDay` through `asOfDay`: the stored closed days, then
 * the current score on `asOfDay` (saturated like every stored value).
 */
export function historyThroughDay(blob: Uint8Array, startDay: number, asOfDay: number, currentHundredths: number): Int32Array {
  const out = closedHistory(blob, startDay, asOfDay, 1);
  out[out.length - 1] = saturateInt32(currentHundredths);
  return out;
}
