import { describe, expect, it } from "vitest";
import { syncDelayMs } from "@/lib/ingestion/server/score-scheduler";

describe("the delay before a coalesced score sync", () => {
  it("waits long enough to make syncs few and large, but brings every event into the scores within a second", () => {
    // A quick sync: the longest delay, three syncs a second at most.
    expect(syncDelayMs(0)).toBe(750);
    expect(syncDelayMs(50)).toBe(750);
    // Slower syncs leave less time to wait: the delay plus a next sync twice as long stay under 900 ms.
    for (const last of [100, 150, 200, 300]) {
      expect(syncDelayMs(last) + 2 * last, `last sync ${last} ms`).toBeLessThanOrEqual(900);
      expect(syncDelayMs(last)).toBeGreaterThanOrEqual(250);
    }
    expect(syncDelayMs(200)).toBe(500);
    // Never sooner than every 250 ms, however slow the last one was.
    expect(syncDelayMs(1000)).toBe(250);
  });
});
