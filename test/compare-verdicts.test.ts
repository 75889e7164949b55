import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/db/client";
import { isoDateFromDay } from "@/lib/days";
import { encodeHistory } from "@/lib/scoring/history";
import { HISTORY_DAYS } from "@/lib/scoring/server/recompute";
import { getBeforeAfter } from "@/lib/teams/server/compare";
import type { ComparisonFigure } from "@/lib/teams/compare/types";
import { createTestDb } from "./db";

/**
 * From stored scores to every verdict of the before/after page, on hand-built data whose
 * answer is known: a change on day M lifts one plan by 20 points, lowers another by 20,
 * leaves a third alone and touches a plan of five accounts; new self-serve accounts that sign
 * up from day M on reach their plateau three times higher. Scores are hundredths with a
 * deterministic daily wobble of up to ±3 points, so nothing is exactly flat.
 */
const { db, cleanup } = await createTestDb();
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

/** A returned id, or a failed test. */
function idOf(value: number | undefined): number {
  if (value === undefined) throw new Error("INSERT … RETURNING id returned no row");
  return value;
}

beforeAll(async () => {
  let serial = 0;
  const add = async (tx: Tx, plan: string, signupDay: number | null, score: (day: number, account: number) => number) => {
    const n = ++serial;
    const id = idOf(
      await tx.value<number>(
        sql`INSERT INTO accounts (external_id, name, plan, stage, signup_date)
            VALUES (${`acc-${n}`}, ${`Account ${n}`}, ${plan}, 'customer', ${signupDay === null ? OLD_SIGNUP : isoDateFromDay(signupDay)}) RETURNING id`,
      ),
    );
    // The closed days (START … AS_OF − 1) are stored; the current score is the as-of day's.
    const history = Array.from({ length: HISTORY_DAYS - 1 }, (_, i) => score(START + i, n));
    // Scores are stored as whole hundredths (PostgreSQL's integer column takes nothing else).
    const current = Math.round(score(AS_OF, n));
    await tx.run(
      sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
          VALUES (${id}, ${AS_OF}, ${current}, ${current}, 'medium', 'medium', 0, 1)`,
    );
    await tx.run(sql`INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (${id}, ${START}, ${encodeHistory(history)}, 1)`);
  };
  await db.transaction(async (tx) => {
    for (let k = 0; k < 40; k++) await add(tx, "Up", null, (d, a) => 3000 + 50 * (k % 7) + wobble(a, d) + (d >= M ? 2000 : 0));
    for (let k = 0; k < 40; k++) await add(tx, "Down", null, (d, a) => 6000 + 50 * (k % 7) + wobble(a, d) - (d >= M ? 2000 : 0));
    for (let k = 0; k < 40; k++) await add(tx, "Flat", null, (d, a) => 4500 + 50 * (k % 7) + wobble(a, d));
    for (let k = 0; k < 5; k++) await add(tx, "Tiny", null, (d, a) => 4000 + wobble(a, d) + (d >= M ? 2000 : 0));
    // One self-serve signup a day, ramping one point a day (three after the change) to a plateau at day 30.
    for (let signup = START; signup <= AS_OF - 40; signup++) {
      const rate = signup >= M ? 300 : 100;
      await add(tx, "Self-serve", signup, (d, a) => (d < signup ? 0 : Math.min(d - signup, 30) * rate + wobble(a, d) / 10));
    }
  });
  markerId = idOf(await db.value<number>(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(M)}, 'Onboarding checklist') RETURNING id`));
});

function row(rows: ComparisonFigure[] | undefined, key: string): ComparisonFigure | undefined {
  return rows?.find((r) => r.key === key);
}

describe("before / after verdicts, from stored scores", () => {
  it("calls a lift and a drop of existing accounts, leaves the untouched plan alone and refuses five accounts", async () => {
    const data = (await getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 }));
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

  it("calls new accounts' faster start at equal age, against the cohorts of quiet dates", async () => {
    const data = (await getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30, cohort: "Self-serve" }));
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

  it("says the history is too short when 90-day windows leave too few quiet dates", async () => {
    const data = (await getBeforeAfter(db, { marker: markerId, window: 90, dimension: "plan", horizon: 30, cohort: "Self-serve" }));
    const up = row(data?.existing.rows, "Up");
    expect(up?.verdict).toMatchObject({ kind: "too_small", reason: "history" });
    expect(up?.verdict.text).toMatch(/^Too little history to tell a change of \+20(\.\d)? points/);
    expect(data?.cohort?.headline.verdict).toMatchObject({ kind: "too_small", reason: "history" });
    // A shorter window would do: the page offers the longest that has quiet dates on both sides
    // (60 days: 65 dates before day M − 60, 61 after day M + 60).
    expect(data?.existing.suggestedWindow).toBe(60);
    expect(data?.existing.placeboDates.count).toBeLessThan(20);
  });

  it("names another change inside the windows and does not credit the chosen one alone", async () => {
    const other = idOf(await db.value<number>(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(M + 10)}, 'Pricing page') RETURNING id`));
    try {
      const data = (await getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 }));
      expect(data?.overlapping).toEqual([{ date: isoDateFromDay(M + 10), title: "Pricing page", kind: "marker" }]);
      const up = row(data?.existing.rows, "Up");
      expect(up?.verdict.overlapping).toEqual(["Pricing page"]);
      expect(up?.verdict.text).toMatch(/“Pricing page” also falls in these windows, so the difference cannot be credited to “Onboarding checklist” alone\.$/);
      expect(data?.summary).toMatch(/Other changes in these windows \(“Pricing page”\) share the credit\.$/);
    } finally {
      await db.run(sql`DELETE FROM change_markers WHERE id = ${other}`);
    }
  });

  it("treats a new version of the scoring rules as a change too", async () => {
    const snapshot = JSON.stringify({});
    const v1 = idOf(
      await db.value<number>(sql`INSERT INTO config_versions (created_at, created_by, reason, snapshot) VALUES (${START * 86_400_000}, 'test', 'first', ${snapshot}) RETURNING id`),
    );
    const v2 = idOf(
      await db.value<number>(
        sql`INSERT INTO config_versions (created_at, created_by, reason, snapshot) VALUES (${(M - 5) * 86_400_000}, 'test', 'reweighted', ${snapshot}) RETURNING id`,
      ),
    );
    const previous = idOf(await db.value<number>(sql`SELECT config_version FROM scoring_settings WHERE id = 1`));
    await db.run(sql`UPDATE scoring_settings SET config_version = ${v2} WHERE id = 1`);
    try {
      const data = (await getBeforeAfter(db, { marker: markerId, window: 30, dimension: "plan", horizon: 30 }));
      expect(data?.overlapping).toEqual([{ date: isoDateFromDay(M - 5), title: `Scoring rules v${v2}`, kind: "rules" }]);
      expect(row(data?.existing.rows, "Up")?.verdict.overlapping).toEqual([`Scoring rules v${v2}`]);
    } finally {
      await db.run(sql`UPDATE scoring_settings SET config_version = ${previous} WHERE id = 1`);
      await db.run(sql`DELETE FROM config_versions WHERE id IN (${v1}, ${v2})`);
    }
  });

  it("never picks a marker in the future or before the history as the default", async () => {
    const future = idOf(await db.value<number>(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(AS_OF + 20)}, 'Next launch') RETURNING id`));
    const ancient = idOf(await db.value<number>(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(START - 50)}, 'Old pricing') RETURNING id`));
    try {
      expect((await getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 }))?.marker?.title).toBe("Onboarding checklist");
      // Chosen on purpose, a future marker is shown, with no scores after it.
      const chosen = (await getBeforeAfter(db, { marker: future, window: 30, dimension: "plan", horizon: 30 }));
      expect(chosen?.marker?.title).toBe("Next launch");
      expect(chosen?.notes).toContain("The change is in the future: there are no scores after it yet.");
      expect(row(chosen?.existing.rows, "Up")?.verdict).toMatchObject({ kind: "too_small", reason: "accounts" });
      // The new accounts' signup periods are the existing accounts' periods: clipped to the history alike.
      expect(chosen?.before).toMatchObject({ to: isoDateFromDay(AS_OF) });
      expect(chosen?.cohort?.before).toMatchObject({ signupFrom: chosen?.before?.from, signupTo: chosen?.before?.to });
      expect(chosen?.after).toBeNull();
      expect(chosen?.cohort?.after.accounts).toBe(0);
      // With only out-of-range markers there is no default at all.
      await db.run(sql`UPDATE change_markers SET date = ${isoDateFromDay(AS_OF + 30)} WHERE id = ${markerId}`);
      const none = (await getBeforeAfter(db, { window: 30, dimension: "plan", horizon: 30 }));
      expect(none?.marker).toBeNull();
      expect(none?.notes[0]).toMatch(/^No change marker falls inside the scores' history/);
    } finally {
      await db.run(sql`UPDATE change_markers SET date = ${isoDateFromDay(M)} WHERE id = ${markerId}`);
      await db.run(sql`DELETE FROM change_markers WHERE id IN (${future}, ${ancient})`);
    }
  });
});
