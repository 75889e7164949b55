import { bandFor, BANDS, type Band, type BandThresholds } from "./bands";
import { isDeclining, type DeclineRule } from "./decline";

/**
 * Event counts per account and event type over one scoring window and over the window
 * `compareDays` earlier: everything needed to score every account under any weights.
 * Row i belongs to accountIds[i]; column j to typeIds[j]; cell (i, j) is at i × m + j.
 */
export interface CountMatrix {
  accountIds: Int32Array;
  typeIds: readonly number[];
  current: Float64Array;
  previous: Float64Array;
  /** 1 when the account existed on the comparison day (lib/scoring/standing.ts); a new account is never declining. */
  hasPast: Uint8Array;
}

export interface MatrixScoring {
  /** Weight per type id in hundredths; inactive or unknown types weigh 0. */
  weights: ReadonlyMap<number, number>;
  thresholds: BandThresholds;
  decline: DeclineRule;
}

export interface ScoredAccounts {
  /** Hundredths, per matrix row. */
  current: Float64Array;
  previous: Float64Array;
  /** Index into BANDS, per row. */
  bands: Uint8Array;
  declining: Uint8Array;
}

function weightVector(matrix: CountMatrix, weights: ReadonlyMap<number, number>): Float64Array {
  return Float64Array.from(matrix.typeIds, (id) => weights.get(id) ?? 0);
}

function rowSums(counts: Float64Array, w: Float64Array, rows: number): Float64Array {
  const m = w.length;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const base = i * m;
    for (let j = 0; j < m; j++) s += (counts[base + j] ?? 0) * (w[j] ?? 0);
    out[i] = s;
  }
  return out;
}

/** Scores, bands and declining flags of every account under one configuration. */
export function scoreMatrix(matrix: CountMatrix, scoring: MatrixScoring): ScoredAccounts {
  const n = matrix.accountIds.length;
  const w = weightVector(matrix, scoring.weights);
  const current = rowSums(matrix.current, w, n);
  const previous = rowSums(matrix.previous, w, n);
  const bands = new Uint8Array(n);
  const declining = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = current[i] ?? 0;
    bands[i] = BANDS.indexOf(bandFor(c / 100, scoring.thresholds));
    declining[i] = matrix.hasPast[i] === 1 && isDeclining(c, previous[i] ?? 0, scoring.decline) ? 1 : 0;
  }
  return { current, previous, bands, declining };
}

export interface AccountMove {
  accountId: number;
  beforeHundredths: number;
  afterHundredths: number;
  bandBefore: Band;
  bandAfter: Band;
}

export interface ChangePreview {
  accounts: number;
  /** moves[from][to]: accounts in band BANDS[from] before and BANDS[to] after. */
  moves: number[][];
  bandCountsBefore: Record<Band, number>;
  bandCountsAfter: Record<Band, number>;
  /** Accounts whose band changes. */
  movedBand: number;
  /** Accounts whose score changes at all. */
  changedScore: number;
  decliningBefore: number;
  decliningAfter: number;
  meanBeforeHundredths: number | null;
  meanAfterHundredths: number | null;
  /** The accounts whose score moves most, largest absolute change first. */
  biggestMoves: AccountMove[];
}

function emptyBandCounts(): Record<Band, number> {
  return { churn_risk: 0, low: 0, medium: 0, high: 0, power: 0 };
}

/**
 * Compares the same accounts scored two ways. `before` and `after` must have one row per
 * account in the same order (`accountIds`).
 */
export function compareScorings(accountIds: Int32Array, before: ScoredAccounts, after: ScoredAccounts, top = 10): ChangePreview {
  const n = accountIds.length;
  const moves = BANDS.map(() => BANDS.map(() => 0));
  const bandCountsBefore = emptyBandCounts();
  const bandCountsAfter = emptyBandCounts();
  let movedBand = 0;
  let changedScore = 0;
  let decliningBefore = 0;
  let decliningAfter = 0;
  let sumBefore = 0;
  let sumAfter = 0;
  for (let i = 0; i < n; i++) {
    const from = before.bands[i] ?? 0;
    const to = after.bands[i] ?? 0;
    const row = moves[from];
    if (row) row[to] = (row[to] ?? 0) + 1;
    const bandBefore = BANDS[from];
    const bandAfter = BANDS[to];
    if (bandBefore) bandCountsBefore[bandBefore]++;
    if (bandAfter) bandCountsAfter[bandAfter]++;
    if (from !== to) movedBand++;
    const b = before.current[i] ?? 0;
    const a = after.current[i] ?? 0;
    if (a !== b) changedScore++;
    decliningBefore += before.declining[i] ?? 0;
    decliningAfter += after.declining[i] ?? 0;
    sumBefore += b;
    sumAfter += a;
  }

  // Top movers by absolute change (ties: larger new score first, then account id), O(n log n)
  // on the changed accounts only.
  const changed: number[] = [];
  for (let i = 0; i < n; i++) if ((after.current[i] ?? 0) !== (before.current[i] ?? 0)) changed.push(i);
  const delta = (i: number) => Math.abs((after.current[i] ?? 0) - (before.current[i] ?? 0));
  changed.sort((x, y) => delta(y) - delta(x) || (after.current[y] ?? 0) - (after.current[x] ?? 0) || (accountIds[x] ?? 0) - (accountIds[y] ?? 0));
  const biggestMoves = changed.slice(0, top).map((i) => ({
    accountId: accountIds[i] ?? 0,
    beforeHundredths: before.current[i] ?? 0,
    afterHundredths: after.current[i] ?? 0,
    bandBefore: BANDS[before.bands[i] ?? 0] ?? "churn_risk",
    bandAfter: BANDS[after.bands[i] ?? 0] ?? "churn_risk",
  }));

  return {
    accounts: n,
    moves,
    bandCountsBefore,
    bandCountsAfter,
    movedBand,
    changedScore,
    decliningBefore,
    decliningAfter,
    meanBeforeHundredths: n === 0 ? null : sumBefore / n,
    meanAfterHundredths: n === 0 ? null : sumAfter / n,
    biggestMoves,
  };
}
