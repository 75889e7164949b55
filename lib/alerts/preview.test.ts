import { describe, expect, it } from "vitest";
import { DEFAULT_DECLINE_RULE } from "../scoring/decline";
import { DEFAULT_THRESHOLDS } from "../scoring/bands";
import { addToPreview, emptyPreview, firingDays, PREVIEW_DAYS, previewHistoryDays, type PreviewAccount } from "./preview";
import { DEFAULT_PARAMS, NO_FILTERS, type RuleCore } from "./rules";

/**
 * Hand-worked: today is day 100, the window is days 71–100. Scores are written in points per
 * day; the preview reads hundredths.
 */
const ctx = { today: 100, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE, compareDays: 30, windowDays: 30 };

function account(firstDay: number, points: (day: number) => number, extra: Partial<PreviewAccount> = {}): PreviewAccount {
  const scores = Array.from({ length: ctx.today - firstDay + 1 }, (_, i) => points(firstDay + i) * 100);
  return { accountId: 1, plan: "Pro", region: null, industry: null, stage: "customer", manager: "Alice", tags: [], firstDay, scores, accountFirstDay: null, renewalDay: null, trialEndDay: null, ...extra };
}

// A: medium, drops to low on day 75, back to medium on 76, low again on 77, medium 78–90, low from 91.
const A = account(69, (d) => (d === 75 ? 35 : d === 76 ? 45 : d === 77 ? 38 : d >= 78 && d <= 90 ? 45 : d >= 91 ? 30 : 50));
// B: 80 (high) for months, 60 (medium) from day 85: 25 % and 20 points below 30 days earlier.
const B = account(40, (d) => (d >= 85 ? 60 : 80));

const rule = (core: RuleCore): RuleCore => core;

describe("firingDays for transition rules", () => {
  it("fires 'drops a band' on each fall, skipping falls within the quiet period", () => {
    expect(firingDays(rule({ kind: "band_drop", params: { quietDays: 0 }, filters: NO_FILTERS }), A, ctx)).toEqual([75, 77, 91]);
    expect(firingDays(rule({ kind: "band_drop", params: { quietDays: 7 }, filters: NO_FILTERS }), A, ctx)).toEqual([75, 91]);
    expect(firingDays(rule({ kind: "band_drop", params: { quietDays: 7 }, filters: NO_FILTERS }), B, ctx)).toEqual([85]);
  });

  it("fires 'becomes declining' once when the fall against 30 days earlier meets the rule, not while it stays declining", () => {
    expect(firingDays(rule({ kind: "declining", params: { quietDays: 0 }, filters: NO_FILTERS }), B, ctx)).toEqual([85]);
    expect(firingDays(rule({ kind: "declining", params: { quietDays: 0 }, filters: NO_FILTERS }), A, ctx)).toEqual([]);
  });

  it("never fires without history for the day before, and honours the filters", () => {
    const short = account(99, () => -5);
    expect(firingDays(rule({ kind: "churn_risk", params: { quietDays: 0 }, filters: NO_FILTERS }), short, ctx)).toEqual([]);
    expect(firingDays(rule({ kind: "band_drop", params: { quietDays: 0 }, filters: { ...NO_FILTERS, plans: ["Enterprise"] } }), A, ctx)).toEqual([]);
  });

  it("reads the past as lib/scoring/standing.ts does: a new account has no band to drop from, not active yet is no band", () => {
    const dropOrChurn = (a: PreviewAccount) => ({
      drop: firingDays(rule({ kind: "band_drop", params: { quietDays: 0 }, filters: NO_FILTERS }), a, ctx),
      churn: firingDays(rule({ kind: "churn_risk", params: { quietDays: 0 }, filters: NO_FILTERS }), a, ctx),
    });
    // First seen on day 90 at 60, down to 30 on day 95: new (no score 30 days before), so no drop.
    expect(dropOrChurn(account(69, (d) => (d >= 95 ? 30 : d >= 90 ? 60 : 0), { accountFirstDay: 90 }))).toEqual({ drop: [], churn: [] });
    // The same fall by an account that existed 30 days before is a drop.
    expect(dropOrChurn(account(69, (d) => (d >= 95 ? 30 : 60), { accountFirstDay: 60 }))).toEqual({ drop: [95], churn: [] });
    // Not active yet from day 80 (0 points), negative signals from day 96: enters churn risk, drops no band.
    expect(dropOrChurn(account(69, (d) => (d >= 96 ? -5 : 0), { accountFirstDay: 80 }))).toEqual({ drop: [], churn: [96] });
    // Not active yet from day 60 and silent when its first 30 days end (day 90): enters churn risk.
    expect(dropOrChurn(account(69, () => 0, { accountFirstDay: 60 }))).toEqual({ drop: [], churn: [90] });
  });

  it("needs the comparison days of history for the declining rule", () => {
    expect(previewHistoryDays("band_drop", 30)).toBe(PREVIEW_DAYS + 1);
    expect(previewHistoryDays("declining", 30)).toBe(PREVIEW_DAYS + 31);
  });
});

describe("firingDays for time-based rules", () => {
  it("fires the renewal rule on the day a 40–80 account's renewal entered the window", () => {
    const r = rule({ kind: "renewal_window", params: { days: 90 }, filters: NO_FILTERS });
    expect(firingDays(r, account(69, () => 55, { renewalDay: 185 }), ctx)).toEqual([95]);
    expect(firingDays(r, account(69, () => 20, { renewalDay: 185 }), ctx)).toEqual([]);
    expect(firingDays(r, account(69, () => 55, { renewalDay: 191 }), ctx)).toEqual([]);
    expect(firingDays(r, account(69, () => 55, { renewalDay: 160 }), ctx)).toEqual([]);
  });

  it("fires the trial rule once, on the first day the trial ended within N days below the score", () => {
    const r = rule({ kind: "trial_ending", params: { days: 7, belowScore: 40 }, filters: NO_FILTERS });
    expect(firingDays(r, { ...A, stage: "trial", trialEndDay: 98 }, ctx)).toEqual([91]);
    expect(firingDays(r, { ...A, stage: "trial", trialEndDay: 110 }, ctx)).toEqual([]);
    expect(firingDays(r, { ...A, stage: "customer", trialEndDay: 98 }, ctx)).toEqual([]);
  });
});

describe("a preview", () => {
  it("counts accounts, firings and firings per day", () => {
    const preview = emptyPreview();
    const r = rule({ kind: "band_drop", params: DEFAULT_PARAMS.band_drop, filters: NO_FILTERS });
    for (const [i, a] of [A, B, account(69, () => 90)].entries()) {
      const withId = { ...a, accountId: i + 1 };
      addToPreview(preview, withId, firingDays(r, withId, ctx), ctx);
    }
    expect(preview.accounts).toBe(2);
    expect(preview.firings).toBe(3);
    expect(preview.perDay).toHaveLength(30);
    expect(preview.perDay[75 - 71]).toBe(1);
    expect(preview.perDay[85 - 71]).toBe(1);
    expect(preview.perDay[91 - 71]).toBe(1);
    expect(preview.sampleAccountIds).toEqual([1, 2]);
  });
});
