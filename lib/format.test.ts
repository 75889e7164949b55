import { describe, expect, it } from "vitest";
import { formatAverage, formatBytes, formatCountOf, formatCurrency, formatDate, formatDateTime, formatDelta, formatDeltaFine, formatInterval, formatPercent, formatPoints, formatPointsExact, formatRelativeDay, formatShortDate } from "./format";

describe("format", () => {
  it("writes scores with at most one decimal and a true minus sign", () => {
    expect(formatPoints(5750)).toBe("57.5");
    expect(formatPoints(4000)).toBe("40");
    expect(formatPoints(-2400)).toBe("\u221224");
    expect(formatPoints(123456)).toBe("1,234.6");
  });
  it("never rounds a score onto a whole number it is not: band boundaries are whole numbers", () => {
    expect(formatPoints(4)).toBe("0.04"); // low, not "0" (churn risk)
    expect(formatPoints(50)).toBe("0.5");
    expect(formatPoints(-4)).toBe("\u22120.04"); // not "−0"
    expect(formatPoints(3996)).toBe("39.96"); // low, not "40" (medium)
    expect(formatPoints(7999)).toBe("79.99");
    expect(formatPoints(10004)).toBe("100.04"); // a power user, not "100" (high)
    expect(formatPoints(0)).toBe("0");
  });
  it("rounds a statistic of scores plainly: a mean is no account's score", () => {
    expect(formatAverage(5102.8)).toBe("51");
    expect(formatAverage(5103)).toBe("51");
    expect(formatAverage(3996)).toBe("40");
    expect(formatAverage(-1234.5)).toBe("\u221212.3");
  });
  it("writes exact contributions to the hundredth", () => {
    expect(formatPointsExact(1234)).toBe("12.34");
    expect(formatPointsExact(-5)).toBe("\u22120.05");
  });
  it("signs deltas", () => {
    expect(formatDelta(1200)).toBe("+12");
    expect(formatDelta(-350)).toBe("\u22123.5");
    expect(formatDelta(0)).toBe("0");
  });
  it("never rounds a small non-zero difference to zero", () => {
    expect(formatDeltaFine(-1.24)).toBe("\u22120.01");
    expect(formatDeltaFine(4)).toBe("+0.04");
    expect(formatDeltaFine(0.2)).toBe("0");
    expect(formatDeltaFine(-87194)).toBe("\u2212871.9");
    expect(formatInterval(-871.94, -1.24)).toBe("\u22128.7 to \u22120.01");
  });
  it("writes percentages, money and dates", () => {
    expect(formatPercent(0.256)).toBe("26 %");
    expect(formatPercent(0.256, 1)).toBe("25.6 %");
    expect(formatCurrency(48000)).toBe("$48,000");
    expect(formatCurrency(null)).toBe("—");
    expect(formatCurrency(3000, true)).toBe("$3K");
    expect(formatCurrency(26800, true)).toBe("$26.8K");
    expect(formatDate("2026-11-22")).toBe("22 Nov 2026");
    expect(formatDate(null)).toBe("—");
    expect(formatShortDate("2026-03-05")).toBe("5 Mar");
  });
});

describe("formatDateTime", () => {
  it("writes a moment in UTC to the minute", () => {
    expect(formatDateTime(Date.UTC(2026, 10, 22, 14, 5, 59))).toBe("22 Nov 2026, 14:05 UTC");
    expect(formatDateTime(Date.UTC(2027, 0, 1, 0, 0))).toBe("1 Jan 2027, 00:00 UTC");
  });
  it("writes moments in UTC and sizes in bytes", () => {
    expect(formatDateTime(Date.UTC(2026, 10, 22, 14, 3, 59))).toBe("22 Nov 2026, 14:03 UTC");
    expect(formatDateTime(null)).toBe("—");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(3482)).toBe("3.4 KB");
    expect(formatBytes(13_107_200)).toBe("12.5 MB");
  });
  it("writes days relative to today", () => {
    expect(formatRelativeDay(100, 100)).toBe("today");
    expect(formatRelativeDay(99, 100)).toBe("yesterday");
    expect(formatRelativeDay(101, 100)).toBe("tomorrow");
    expect(formatRelativeDay(97, 100)).toBe("3 days ago");
    expect(formatRelativeDay(1345, 100)).toBe("in 1,245 days");
  });
  it("writes a moment in UTC", () => {
    expect(formatDateTime(Date.parse("2026-11-22T14:05:59Z"))).toBe("22 Nov 2026, 14:05 UTC");
  });
});

describe("formatCountOf", () => {
  it("uses the singular for exactly one and the plural otherwise", () => {
    expect(formatCountOf(1, "event")).toBe("1 event");
    expect(formatCountOf(0, "event")).toBe("0 events");
    expect(formatCountOf(2000, "daily rollup")).toBe("2,000 daily rollups");
    expect(formatCountOf(1, "identify, group or alias message")).toBe("1 identify, group or alias message");
  });
});
