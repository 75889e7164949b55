import { describe, expect, it } from "vitest";
import { formatCurrency, formatDate, formatDateTime, formatDelta, formatPercent, formatPoints, formatPointsExact, formatRelativeDay } from "./format";

describe("format", () => {
  it("writes scores with at most one decimal and a true minus sign", () => {
    expect(formatPoints(5750)).toBe("57.5");
    expect(formatPoints(4000)).toBe("40");
    expect(formatPoints(-2400)).toBe("\u221224");
    expect(formatPoints(123456)).toBe("1,234.6");
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
  it("writes percentages, money and dates", () => {
    expect(formatPercent(0.256)).toBe("26 %");
    expect(formatPercent(0.256, 1)).toBe("25.6 %");
    expect(formatCurrency(48000)).toBe("$48,000");
    expect(formatCurrency(null)).toBe("—");
    expect(formatCurrency(3000, true)).toBe("$3K");
    expect(formatCurrency(26800, true)).toBe("$26.8K");
    expect(formatDate("2026-11-22")).toBe("22 Nov 2026");
    expect(formatDate(null)).toBe("—");
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
