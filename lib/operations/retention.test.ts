import { describe, expect, it } from "vitest";
import { dayFromIsoDate, isoDateFromDay } from "../days";
import { formatRowCount, retentionCutoffDay, retentionEffectSentence, retentionPauseMillis, retentionProgress, retentionSettingsSchema } from "./retention";

describe("retentionCutoffDay", () => {
  it("keeps the same day of the month, N months back", () => {
    expect(isoDateFromDay(retentionCutoffDay(13, dayFromIsoDate("2026-12-07")))).toBe("2025-11-07");
    expect(isoDateFromDay(retentionCutoffDay(1, dayFromIsoDate("2026-01-15")))).toBe("2025-12-15");
  });

  it("clamps to the end of a shorter month", () => {
    expect(isoDateFromDay(retentionCutoffDay(1, dayFromIsoDate("2026-03-31")))).toBe("2026-02-28");
    expect(isoDateFromDay(retentionCutoffDay(13, dayFromIsoDate("2025-03-31")))).toBe("2024-02-29");
  });
});

describe("formatRowCount and the preview sentence", () => {
  it("writes millions with one decimal, rounded down (never overstating)", () => {
    expect(formatRowCount(4_149_999)).toBe("4.1 M");
    expect(formatRowCount(1_000_000)).toBe("1 M");
    expect(formatRowCount(999_999)).toBe("999,999");
    expect(formatRowCount(1)).toBe("1");
  });

  it("says what is deleted, and when nothing is", () => {
    const cutoffDay = dayFromIsoDate("2025-11-07");
    expect(retentionEffectSentence({ months: 13, cutoffDay, events: 4_100_000, pendingEvents: 20 })).toBe(
      "This deletes 4.1 M raw events older than 2025-11-07. Rollups and scores are kept.",
    );
    expect(retentionEffectSentence({ months: 13, cutoffDay, events: 1, pendingEvents: 0 })).toBe("This deletes 1 raw event older than 2025-11-07. Rollups and scores are kept.");
    expect(retentionEffectSentence({ months: 13, cutoffDay, events: 0, pendingEvents: 0 })).toBe("Nothing to delete: no raw event is older than 2025-11-07.");
    expect(retentionEffectSentence({ months: null, cutoffDay: null, events: 0, pendingEvents: 0 })).toBe("Raw events are kept for ever: nothing is deleted.");
  });
});

describe("retentionSettingsSchema", () => {
  it("accepts whole months in range and null, and names the field otherwise", () => {
    expect(retentionSettingsSchema.parse({ rawEventMonths: 13 })).toEqual({ rawEventMonths: 13 });
    expect(retentionSettingsSchema.parse({ rawEventMonths: null })).toEqual({ rawEventMonths: null });
    for (const bad of [0, 1.5, 121, "13"]) {
      const parsed = retentionSettingsSchema.safeParse({ rawEventMonths: bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["rawEventMonths"]);
    }
  });
});

describe("retentionProgress", () => {
  it("says how much of the expected deletion is done, rounded down and never 100 % before the end", () => {
    expect(retentionProgress({ done: 2_500_000, total: 10_000_000 })).toEqual({ percent: 25, sentence: "Deleted 2,500,000 of 10,000,000 raw events (25 %)." });
    expect(retentionProgress({ done: 9_999, total: 10_000 }).percent).toBe(99);
    // Older events that arrived meanwhile can take it past the preview's count.
    expect(retentionProgress({ done: 12, total: 10 }).percent).toBe(99);
  });

  it("says it is counting before it knows the total", () => {
    expect(retentionProgress({ done: 0, total: 0 })).toEqual({ percent: 0, sentence: "Counting the raw events to delete…" });
    expect(retentionProgress({ done: 5_000, total: 0 }).sentence).toBe("Deleted 5,000 raw events so far.");
  });
});

describe("retentionPauseMillis", () => {
  it("rests so that deleting takes at most a twentieth of the time", () => {
    // 200 ms of deleting, 3,800 ms of rest: 200 / (200 + 3,800) = 5 %.
    expect(retentionPauseMillis(200)).toBe(3800);
    expect(retentionPauseMillis(50, 0.5)).toBe(50);
    expect(retentionPauseMillis(0)).toBe(0);
    expect(retentionPauseMillis(100, 1)).toBe(0);
  });
});
