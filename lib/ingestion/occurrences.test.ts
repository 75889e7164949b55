import { describe, expect, it } from "vitest";
import { OccurrenceCounter } from "./occurrences";

describe("occurrence counter", () => {
  it("counts each fingerprint, through growth and past 255 sightings", () => {
    const counter = new OccurrenceCounter(16);
    const seen = new Map<string, number>();
    // 5,000 fingerprints (some sharing the low word, some the high word), each seen 1–3 times.
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 5000; i++) {
        if (i % 3 < round - 1) continue;
        const high = i % 7;
        const low = (i * 2654435761) >>> 0;
        const key = `${high}:${low}`;
        const expected = (seen.get(key) ?? 0) + 1;
        seen.set(key, expected);
        expect(counter.next(high, low)).toBe(expected);
      }
    }
    expect(counter.distinct).toBe(5000);
    for (let n = 1; n <= 300; n++) expect(counter.next(0xffffffff, 0xffffffff)).toBe(n);
    expect(counter.next(0xffffffff, 0xfffffffe)).toBe(1);
  });
});

describe("occurrence counter on base64url digests", () => {
  it("tells digests apart by their first ten characters", () => {
    const counter = new OccurrenceCounter();
    expect(counter.nextDigest("AAAAAAAAAAxyz")).toBe(1);
    expect(counter.nextDigest("AAAAAAAAAAabc")).toBe(2);
    expect(counter.nextDigest("AAAAAAAAA_xyz")).toBe(1);
    expect(counter.nextDigest("-AAAAAAAAAxyz")).toBe(1);
    expect(counter.nextDigest("AAAAAAAAA_")).toBe(2);
  });
});
