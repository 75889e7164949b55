import { describe, expect, it } from "vitest";
import { dayFromIsoDate } from "@/lib/days";
import { RAMP_DAYS_AFTER_OVERHAUL, RAMP_DAYS_BEFORE_OVERHAUL } from "@/lib/demo/generate";
import { wilsonInterval } from "@/lib/insights/wilson";
import { compareCohort, compareExisting } from "@/lib/teams/compare/analyse";
import type { VerdictKind } from "@/lib/teams/compare/verdict";
import { allMembers, segmentMembers } from "@/lib/teams/dataset";
import { demoDataset } from "./compare/demo-dataset";

/**
 * The before/after page's logic (lib/teams/compare/analyse.ts, exactly what the page and the
 * API run) on generated demo companies (2,000 accounts, a year of scores), with fixed seeds:
 *
 * - with NO change anywhere, markers placed every 20 days claim an effect in at most 5 % of
 *   the comparisons the page would judge;
 * - with the demo's onboarding effect planted (new accounts ramp up in 15 days instead of 45:
 *   about +19 points at day 30) and a smaller one (17 days: about +16 points), the page's
 *   default comparison (90-day windows, day 30) finds each at least 8 times in 10, over 12
 *   companies per size. (The method is deliberately strict: smaller effects are found less
 *   often; docs/adr/0011-before-after-verdicts.md states the rates.)
 *
 * The observed figures are printed and recorded in docs/adr/0011-before-after-verdicts.md.
 * Comparisons within one company share accounts and dates, so they are not independent: the
 * binomial interval printed beside the false-alarm rate is indicative, not exact.
 */
const TODAY = dayFromIsoDate("2026-06-15");
const OVERHAUL = TODAY - 120;
/** Seeds far apart: the generator's per-account streams overlap for seeds that differ only in low bits. */
const seed = (k: number) => k * 0x10000 + 42;

function percent(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

describe("before / after calibration on generated companies", () => {
  it("claims an effect in at most 5 % of comparisons when nothing changed", () => {
    const counts: Record<VerdictKind, number> = { higher: 0, lower: 0, no_clear_effect: 0, too_small: 0 };
    const byKind: Record<string, { judged: number; claims: number }> = {};
    for (const k of [1, 2, 3]) {
      const ds = demoDataset({ accounts: 2000, seed: seed(k), today: TODAY, rampDaysAfterOverhaul: RAMP_DAYS_BEFORE_OVERHAUL });
      const rows = [{ key: "all", label: "All accounts", members: allMembers(ds) }, ...[...segmentMembers(ds, "plan")].map(([key, members]) => ({ key, label: key, members }))];
      for (let day = ds.startDay + 30; day <= ds.asOfDay - 30; day += 20) {
        for (const window of [30, 60, 90]) {
          const tally = (kind: string, verdict: VerdictKind) => {
            counts[verdict]++;
            const t = (byKind[kind] ??= { judged: 0, claims: 0 });
            if (verdict !== "too_small") t.judged++;
            if (verdict === "higher" || verdict === "lower") t.claims++;
          };
          const input = { ds, change: { day, title: "Placebo" }, window, horizon: 30, otherChanges: [] };
          compareExisting(input, rows).rows.forEach((r, i) => tally(`existing ${i === 0 ? "all" : "segment"} ${window} d`, r.verdict.kind));
          for (const horizon of [30, 60]) tally(`new ${window} d, day ${horizon}`, compareCohort({ ...input, horizon }, rows[0]?.members ?? new Int32Array(0), "All accounts").headline.verdict.kind);
        }
      }
    }
    const judged = counts.higher + counts.lower + counts.no_clear_effect;
    const claims = counts.higher + counts.lower;
    const interval = wilsonInterval(claims, judged);
    console.log(
      `No change: ${claims} effects claimed in ${judged} judged comparisons (${percent(claims / judged)}, 95 % Wilson interval ${percent(interval?.lower ?? 0)} to ${percent(interval?.upper ?? 0)}); ${counts.too_small} more refused as too small.`,
      byKind,
    );
    expect(judged).toBeGreaterThanOrEqual(200);
    expect(claims / judged).toBeLessThanOrEqual(0.05);
  }, 600_000);

  it("finds planted effects of known size at least 8 times in 10 at the default settings", () => {
    const rates: string[] = [];
    for (const ramp of [RAMP_DAYS_AFTER_OVERHAUL, 17]) {
      let found = 0;
      const sizes: number[] = [];
      const trials = 12;
      for (let k = 1; k <= trials; k++) {
        const ds = demoDataset({ accounts: 2000, seed: seed(k), today: TODAY, rampDaysAfterOverhaul: ramp });
        const { headline } = compareCohort({ ds, change: { day: OVERHAUL, title: "Documentation overhaul" }, window: 90, horizon: 30, otherChanges: [] }, allMembers(ds), "All accounts");
        if (headline.verdict.kind === "higher") found++;
        sizes.push((headline.meanDifference?.estimateHundredths ?? 0) / 100);
      }
      const interval = wilsonInterval(found, trials);
      const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
      rates.push(`ramp-up in ${ramp} days instead of 45 (mean difference at day 30: +${mean.toFixed(1)} points): found ${found} of ${trials} (95 % Wilson interval ${percent(interval?.lower ?? 0)} to ${percent(interval?.upper ?? 0)})`);
      expect(found / trials, `ramp ${ramp}`).toBeGreaterThanOrEqual(0.8);
    }
    console.log(`Planted effects: ${rates.join("; ")}.`);
  }, 600_000);
});
