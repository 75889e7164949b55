import { describe, expect, it } from "vitest";
import { Random } from "../demo/prng";
import { BANDS, bandFor, DEFAULT_THRESHOLDS } from "./bands";
import { DEFAULT_DECLINE_RULE, isDeclining } from "./decline";
import { compareScorings, scoreMatrix, type CountMatrix } from "./preview";
import { scoreWindow, type DailyCount } from "./score";
import { scoreInWindow } from "../../test/reference/score-definition";

const scoring = (weights: [number, number][]) => ({
  weights: new Map(weights),
  thresholds: DEFAULT_THRESHOLDS,
  decline: DEFAULT_DECLINE_RULE,
});

describe("a hand-worked preview", () => {
  // Three accounts, two types (1 = session, 2 = invite). Current-window counts:
  //   A: 30 sessions, 2 invites   B: 10 sessions, 0 invites   C: 0 sessions, 9 invites
  const matrix: CountMatrix = {
    accountIds: Int32Array.from([11, 12, 13]),
    typeIds: [1, 2],
    current: Float64Array.from([30, 2, 10, 0, 0, 9]),
    previous: Float64Array.from([30, 2, 40, 0, 0, 9]),
    hasPast: Uint8Array.from([1, 1, 1]),
  };
  // Before: session 1, invite 10 → A 50 (medium), B 10 (low), C 90 (high).
  // After:  session 2, invite 10 → A 80 (high),   B 20 (low), C 90 (high).
  const before = scoreMatrix(matrix, scoring([[1, 100], [2, 1000]]));
  const after = scoreMatrix(matrix, scoring([[1, 200], [2, 1000]]));

  it("scores each account as Σ weight × count", () => {
    expect(Array.from(before.current)).toEqual([5000, 1000, 9000]);
    expect(Array.from(after.current)).toEqual([8000, 2000, 9000]);
    // B's previous window: 40 sessions → 40 before, 80 after; B is declining both ways.
    expect(Array.from(before.declining)).toEqual([0, 1, 0]);
    expect(Array.from(after.declining)).toEqual([0, 1, 0]);
  });

  it("never counts a new account as declining: it has no earlier score", () => {
    const fresh = scoreMatrix({ ...matrix, hasPast: Uint8Array.from([1, 0, 1]) }, scoring([[1, 100], [2, 1000]]));
    expect(Array.from(fresh.declining)).toEqual([0, 0, 0]);
  });

  it("counts band moves, movers and means", () => {
    const p = compareScorings(matrix.accountIds, before, after);
    const medium = BANDS.indexOf("medium");
    const high = BANDS.indexOf("high");
    const low = BANDS.indexOf("low");
    expect(p.moves[medium]?.[high]).toBe(1);
    expect(p.moves[low]?.[low]).toBe(1);
    expect(p.moves[high]?.[high]).toBe(1);
    expect(p.movedBand).toBe(1);
    expect(p.changedScore).toBe(2);
    expect(p.bandCountsBefore).toEqual({ churn_risk: 0, low: 1, medium: 1, high: 1, power: 0 });
    expect(p.bandCountsAfter).toEqual({ churn_risk: 0, low: 1, medium: 0, high: 2, power: 0 });
    expect(p.meanBeforeHundredths).toBe((5000 + 1000 + 9000) / 3);
    expect(p.meanAfterHundredths).toBe((8000 + 2000 + 9000) / 3);
    expect(p.biggestMoves.map((m) => [m.accountId, m.beforeHundredths, m.afterHundredths])).toEqual([
      [11, 5000, 8000],
      [12, 1000, 2000],
    ]);
  });
});

describe("the preview equals scoring every account from scratch", () => {
  it("on random data with negative weights and new thresholds", () => {
    const rng = new Random(99);
    const END = 1000;
    const typeIds = [1, 2, 3, 4, 5];
    const accounts = Array.from({ length: 300 }, (_, i) => i + 1);
    const counts = new Map<number, DailyCount[]>();
    for (const a of accounts) {
      const list: DailyCount[] = [];
      for (let k = 0; k < 25; k++) list.push({ day: END - rng.int(0, 70), typeId: rng.pick(typeIds), count: rng.int(1, 6) });
      counts.set(a, list);
    }
    const weightsBefore = new Map([[1, 150], [2, 1000], [3, -1500], [4, 0], [5, 300]]);
    const weightsAfter = new Map([[1, 250], [2, 600], [3, -2500], [4, 100], [5, 300]]);
    const thresholdsAfter = { churnRiskMax: 5, mediumFrom: 35, highFrom: 70, powerAbove: 120 };

    // The matrix path, as the server builds it.
    const cur = scoreWindow(END, 30);
    const prev = scoreWindow(END - 30, 30);
    const m = typeIds.length;
    const matrix: CountMatrix = {
      accountIds: Int32Array.from(accounts),
      typeIds,
      current: new Float64Array(accounts.length * m),
      previous: new Float64Array(accounts.length * m),
      hasPast: new Uint8Array(accounts.length).fill(1),
    };
    accounts.forEach((a, i) => {
      for (const c of counts.get(a) ?? []) {
        const j = typeIds.indexOf(c.typeId);
        if (c.day >= cur.startDay && c.day <= cur.endDay) matrix.current[i * m + j] = (matrix.current[i * m + j] ?? 0) + c.count;
        if (c.day >= prev.startDay && c.day <= prev.endDay) matrix.previous[i * m + j] = (matrix.previous[i * m + j] ?? 0) + c.count;
      }
    });
    const preview = compareScorings(
      matrix.accountIds,
      scoreMatrix(matrix, { weights: weightsBefore, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE }),
      scoreMatrix(matrix, { weights: weightsAfter, thresholds: thresholdsAfter, decline: DEFAULT_DECLINE_RULE }),
    );

    // From scratch, with the scoring engine's own functions.
    const expected = BANDS.map(() => BANDS.map(() => 0));
    let decliningAfter = 0;
    for (const a of accounts) {
      const list = counts.get(a) ?? [];
      const before = scoreInWindow(list, weightsBefore, cur);
      const after = scoreInWindow(list, weightsAfter, cur);
      const afterPrev = scoreInWindow(list, weightsAfter, prev);
      const row = expected[BANDS.indexOf(bandFor(before / 100))];
      const to = BANDS.indexOf(bandFor(after / 100, thresholdsAfter));
      if (row) row[to] = (row[to] ?? 0) + 1;
      if (isDeclining(after, afterPrev)) decliningAfter++;
    }
    expect(preview.moves).toEqual(expected);
    expect(preview.decliningAfter).toBe(decliningAfter);
    expect(preview.movedBand).toBeGreaterThan(0);
  });
});
