import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoDateFromDay } from "@/lib/days";
import { encodeHistory } from "@/lib/scoring/history";
import { HISTORY_DAYS } from "@/lib/server/recompute";
import { getBeforeAfter } from "@/lib/server/teams/compare";
import type { ComparisonFigure } from "@/lib/teams/compare/types";
import { createTestDatabase } from "./db";

/**
 * From stored scores to every verdict of the before/after page, on hand-built data whose
 * answer is known: a change on day M lifts one plan by 20 points, lowers another by 20,
 * leaves a third alone and touches a plan of five accounts; new self-serve accounts that sign
 * up from day M on reach their plateau three times higher. Scores are hundredths with a
 * deterministic daily wobble of up to ±3 points, so nothing is exactly flat.
 */
const { db, cleanup } = createTestDatabase();
afterAll(cleanup);

const AS_OF = 20_000;
const START = AS_OF - HISTORY_DAYS + 1;
const M = AS_OF - 180;
const OLD_SIGNUP = isoDateFromDay(AS_OF - 1000);

/** A wobble in [−300, 300] hundredths, the same for the same account and day on every run. */
function wobble(account: number, day: number): number {
  let h = Math.imul(account ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(day, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return ((h >>> 0) % 601) - 300;
}

let markerId = 0;

beforeAll(() => {
  const s = db.sqlite;
  const addAccount = s.prepare("INSERT INTO accounts (external_id, name, plan, stage, signup_date) VALUES (?, ?, ?, 'customer', ?) RETURNING id");
  const addScore = s.prepare(
    `INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
     VALUES (?, ?, ?, ?, 'medium', 'medium', 0, 1)`,
  );
  const addHistory = s.prepare("INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (?, ?, ?, 1)");
  let serial = 0;
  const add = (plan: string, signupDay: number | null, score: (day: number, account: number) => number) => {
    const n = ++serial;
    const id = addAccount.pluck().get(`acc-${n}`, `Account ${n}`, plan, signupDay === null ? OLD_SIGNUP : isoDateFromDay(signupDay)) as number;
    // The closed days (START … AS_OF − 1) are stored; the current score is the as-of day's.
    const history = Array.from({ length: HISTORY_DAYS - 1 }, (_, i) => score(START + i, n));
    const current = score(AS_OF, n);
    addScore.run(id, AS_OF, current, current);
    addHistory.run(id, START, encodeHistory(history));
  };
  s.transaction(() => {
    for (let k = 0; k < 40; k++) add("Up", null, (d, a) => 3000 + 50 * (k % 7) + wobble(a, d) + (d >= M ? 2000 : 0));
    for (let k = 0; k < 40; k++) add("Down", null, (d, a) => 6000 + 50 * (k % 7) + wobble(a, d) - (d >= M ? 2000 : 0));
    for (let k = 0; k < 40; k++) add("Flat", null, (d, a) => 4500 + 50 * (k % 7) + wobble(a, d));
    for (let k = 0; k < 5; k++) add("Tiny", null, (d, a) => 4000 + wobble(a, d) + (d >= M ? 2000 : 0));
    // One self-serve signup a day, ramping one point a day (three after the change) to a plateau at day 30.
    for (let signup = START; signup <= AS_OF - 40; signup++) {
      const rate = signup >= M ? 300 : 100;
      add("Self-serve", signup, (d, a) => (d < signup ? 0 : Math.min(d - signup, 30) * rate + wobble(a, d) / 10));
    }
  })();
  markerId = s.prepare("INSERT INTO change_markers (date, title) VALUES (?, 'Onboarding checklist') RETURNING id").pluck().get(isoDateFromDay(M)) as number;
});

function row(rows: ComparisonFigure[] | undefined, key: string): ComparisonFigure | undefined {
  return rows?.find((r) => r.key === key);
}

describe("before / after verdicts, from stored scores", () => {
  it("calls a lift and a drop of existing accounts, leaves the untouched plan alone and refuses five accounts", () => {
    const data = getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 });
    const rows = data?.existing.rows;
    const up = row(rows, "Up");
    expect(up?.design).toBe("paired");
    expect(up?.before.n).toBe(40);
    expect(up?.meanDifference?.estimateHundredths).toBeGreaterThan(1900);
    expect(up?.meanDifference?.estimateHundredths).toBeLessThan(2100);
    expect(up?.verdict).toMatchObject({ kind: "higher", reason: null });
    expect(up?.verdict.text).toMatch(/^Mean score (19\.\d|20|20\.\d) points higher after the change than before \(95 % interval \+\d/);
    // Quiet dates on both sides: 30-day windows that do not hold day M.
    expect(up?.placebo?.earlier).toBeGreaterThanOrEqual(5);
    expect(up?.placebo?.later).toBeGreaterThanOrEqual(5);
    expect(Math.abs(up?.placebo?.upperHundredths ?? 1e9)).toBeLessThan(100);

    expect(row(rows, "Down")?.verdict).toMatchObject({ kind: "lower", reason: null });
    const flat = row(rows, "Flat");
    expect(flat?.verdict.kind).toBe("no_clear_effect");
    expect(flat?.verdict.text).toMatch(/^No clear effect/);
    expect(row(rows, "Tiny")?.verdict).toMatchObject({ kind: "too_small", reason: "accounts" });
    expect(row(rows, "Tiny")?.verdict.text).toBe("Too few accounts to tell: 5 scored in both periods; at least 20 are needed.");
    // Up, Down, Flat and Self-serve can be judged: Holm's family of four. The strongest row is judged at 1 − 0.05/4.
    expect(data?.existing.correctedRows).toBe(4);
    expect(Math.max(...(rows ?? []).map((r) => r.judgedAt))).toBeCloseTo(1 - 0.05 / 4, 12);
  });

  it("calls new accounts' faster start at equal age, against the cohorts of quiet dates", () => {
    const data = getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30, cohort: "Self-serve" });
    const h = data?.cohort?.headline;
    expect(h?.design).toBe("unpaired");
    // Day 30: 30 points before, 90 after (± a tenth of the wobble).
    expect(h?.before.n).toBe(30);
    expect(h?.after.n).toBe(30);
    expect(h?.meanDifference?.estimateHundredths).toBeCloseTo(6000, -2);
    expect(h?.verdict.kind).toBe("higher");
    expect(h?.placebo?.dates).toBeGreaterThanOrEqual(20);
    expect(data?.summary).toMatch(/^New accounts engage faster after the change \(\+60 points at day 30/);
  });

  it("says the history is too short when 90-day windows leave too few quiet dates", () => {
    const data = getBeforeAfter(db, { marker: markerId, window: 90, dimension: "plan", horizon: 30, cohort: "Self-serve" });
    const up = row(data?.existing.rows, "Up");
    expect(up?.verdict).toMatchObject({ kind: "too_small", reason: "history" });
    expect(up?.verdict.text).toMatch(/^Too little history to tell a change of \+20(\.\d)? points/);
    expect(data?.cohort?.headline.verdict).toMatchObject({ kind: "too_small", reason: "history" });
    // A shorter window would do: the page offers the longest that has quiet dates on both sides
    // (60 days: 65 dates before day M − 60, 61 after day M + 60).
    expect(data?.existing.suggestedWindow).toBe(60);
    expect(data?.existing.placeboDates.count).toBeLessThan(20);
  });

  it("names another change inside the windows and does not credit the chosen one alone", () => {
    const other = db.sqlite.prepare("INSERT INTO change_markers (date, title) VALUES (?, 'Pricing page') RETURNING id").pluck().get(isoDateFromDay(M + 10)) as number;
    try {
      const data = getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 });
      expect(data?.overlapping).toEqual([{ date: isoDateFromDay(M + 10), title: "Pricing page", kind: "marker" }]);
      const up = row(data?.existing.rows, "Up");
      expect(up?.verdict.overlapping).toEqual(["Pricing page"]);
      expect(up?.verdict.text).toMatch(/“Pricing page” also falls in these windows, so the difference cannot be credited to “Onboarding checklist” alone\.$/);
      expect(data?.summary).toMatch(/Other changes in these windows \(“Pricing page”\) share the credit\.$/);
    } finally {
      db.sqlite.prepare("DELETE FROM change_markers WHERE id = ?").run(other);
    }
  });

  it("treats a new version of the scoring rules as a change too", () => {
    const s = db.sqlite;
    const snapshot = JSON.stringify({});
    const v1 = s.prepare("INSERT INTO config_versions (created_at, created_by, reason, snapshot) VALUES (?, 'test', 'first', ?) RETURNING id").pluck().get(START * 86_400_000, snapshot) as number;
    const v2 = s.prepare("INSERT INTO config_versions (created_at, created_by, reason, snapshot) VALUES (?, 'test', 'reweighted', ?) RETURNING id").pluck().get((M - 5) * 86_400_000, snapshot) as number;
    const previous = s.prepare("SELECT config_version FROM scoring_settings WHERE id = 1").pluck().get() as number;
    s.prepare("UPDATE scoring_settings SET config_version = ? WHERE id = 1").run(v2);
    try {
      const data = getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 });
      expect(data?.overlapping).toEqual([{ date: isoDateFromDay(M - 5), title: `Scoring rules v${v2}`, kind: "rules" }]);
      expect(row(data?.existing.rows, "Up")?.verdict.overlapping).toEqual([`Scoring rules v${v2}`]);
    } finally {
      s.prepare("UPDATE scoring_settings SET config_version = ? WHERE id = 1").run(previous);
      s.prepare("DELETE FROM config_versions WHERE id IN (?, ?)").run(v1, v2);
    }
  });

  it("never picks a marker in the future or before the history as the default", () => {
    const s = db.sqlite;
    const future = s.prepare("INSERT INTO change_markers (date, title) VALUES (?, 'Next launch') RETURNING id").pluck().get(isoDateFromDay(AS_OF + 20)) as number;
    const ancient = s.prepare("INSERT INTO change_markers (date, title) VALUES (?, 'Old pricing') RETURNING id").pluck().get(isoDateFromDay(START - 50)) as number;
    try {
      expect(getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 })?.marker?.title).toBe("Onboarding checklist");
      // Chosen on purpose, a future marker is shown, with no scores after it.
      const chosen = getBeforeAfter(db, { marker: future, window: 30, dimension: "plan", horizon: 30 });
      expect(chosen?.marker?.title).toBe("Next launch");
      expect(chosen?.notes).toContain("The change is in the future: there are no scores after it yet.");
      expect(row(chosen?.existing.rows, "Up")?.verdict).toMatchObject({ kind: "too_small", reason: "accounts" });
      // The new accounts' signup periods are the existing accounts' periods: clipped to the history alike.
      expect(chosen?.before).toMatchObject({ to: isoDateFromDay(AS_OF) });
      expect(chosen?.cohort?.before).toMatchObject({ signupFrom: chosen?.before?.from, signupTo: chosen?.before?.to });
      expect(chosen?.after).toBeNull();
      expect(chosen?.cohort?.after.accounts).toBe(0);
      // With only out-of-range markers there is no default at all.
      s.prepare("UPDATE change_markers SET date = ? WHERE id = ?").run(isoDateFromDay(AS_OF + 30), markerId);
      const none = getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 });
      expect(none?.marker).toBeNull();
      expect(none?.notes[0]).toMatch(/^No change marker falls inside the scores' history/);
    } finally {
      s.prepare("UPDATE change_markers SET date = ? WHERE id = ?").run(isoDateFromDay(M), markerId);
      s.prepare("DELETE FROM change_markers WHERE id IN (?, ?)").run(future, ancient);
    }
  });
});
