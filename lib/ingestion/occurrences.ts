/**
 * Counts how often each fingerprint (two 32-bit words) has been seen, for numbering exact repeats of a
 * row within one CSV file (lib/ingestion/csv.ts). A file of millions of rows must not keep a
 * JavaScript Map per row (V8 caps a Map at 2^24 entries and spends ~50 bytes on each), so
 * this is an open-addressing table in typed arrays: 9 bytes a slot, at most 70 % full,
 * i.e. about 13 to 26 bytes per distinct row.
 */
const MAX_LOAD = 0.7;
const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const SEXTET = new Uint8Array(128);
for (let i = 0; i < BASE64URL.length; i++) SEXTET[BASE64URL.charCodeAt(i)] = i;

/** 30 bits of a base64url string, from 5 characters at `from`. */
function bits30(text: string, from: number): number {
  let value = 0;
  for (let i = from; i < from + 5; i++) value = value * 64 + (SEXTET[text.charCodeAt(i) & 127] ?? 0);
  return value;
}
/** Counts above this live in a small Map (a row repeated 255 times is rare). */
const SATURATED = 255;

export class OccurrenceCounter {
  private high: Uint32Array;
  private low: Uint32Array;
  private counts: Uint8Array;
  private readonly overflow = new Map<string, number>();
  private size = 0;

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.counts = new Uint8Array(capacity);
  }

  /** Distinct fingerprints seen. */
  get distinct(): number {
    return this.size;
  }

  /**
   * The same for a digest in base64url (at least 10 characters): its first 60 bits are the
   * fingerprint. Reading them from the string costs less than asking the hash for a Buffer.
   */
  nextDigest(base64url: string): number {
    return this.next(bits30(base64url, 0), bits30(base64url, 5));
  }

  /** Records one more sighting of the fingerprint; returns how many times it has been seen now (1 the first time). */
  next(high: number, low: number): number {
    if ((this.size + 1) / this.counts.length > MAX_LOAD) this.grow();
    const slot = this.slotOf(high >>> 0, low >>> 0);
    const count = this.counts[slot] ?? 0;
    if (count === 0) {
      this.high[slot] = high;
      this.low[slot] = low;
      this.counts[slot] = 1;
      this.size++;
      return 1;
    }
    if (count < SATURATED) {
      this.counts[slot] = count + 1;
      return count + 1;
    }
    const key = `${high >>> 0}:${low >>> 0}`;
    const more = (this.overflow.get(key) ?? SATURATED) + 1;
    this.overflow.set(key, more);
    return more;
  }

  /** The slot holding the fingerprint, or the empty slot where it goes (linear probing). */
  private slotOf(high: number, low: number): number {
    const mask = this.counts.length - 1;
    // The fingerprint is already uniformly distributed (a cryptographic digest).
    let slot = low & mask;
    for (;;) {
      if (this.counts[slot] === 0 || (this.high[slot] === high && this.low[slot] === low)) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { high, low, counts } = this;
    const capacity = counts.length * 2;
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.counts = new Uint8Array(capacity);
    for (let i = 0; i < counts.length; i++) {
      const count = counts[i] ?? 0;
      if (count === 0) continue;
      const h = high[i] ?? 0;
      const l = low[i] ?? 0;
      const slot = this.slotOf(h, l);
      this.high[slot] = h;
      this.low[slot] = l;
      this.counts[slot] = count;
    }
  }
}
