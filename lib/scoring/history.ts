/**
 * Score history is stored as one blob per account: little-endian Int32 hundredths, one per
 * UTC day. Int32 holds ±21 million points exactly; anything beyond saturates rather than wraps.
 */
const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;

export function encodeHistory(series: ArrayLike<number>): Buffer {
  const buf = Buffer.alloc(series.length * 4);
  for (let i = 0; i < series.length; i++) {
    const v = Math.round(series[i] ?? 0);
    buf.writeInt32LE(Math.max(INT32_MIN, Math.min(INT32_MAX, v)), i * 4);
  }
  return buf;
}

export function decodeHistory(blob: Uint8Array): Int32Array {
  const out = new Int32Array(Math.floor(blob.byteLength / 4));
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  return out;
}
