import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay } from "../days";
import { BANDS, isBand, type Band } from "../scoring/bands";
import { scoreHistogram, type HistogramBin } from "../stats/histogram";
import { mean, median } from "../stats/summary";
import { memoUntilWrite } from "./query-cache";
import { getScoringSettings, type ScoringSettings } from "./settings";

export interface BandCount {
  band: Band;
  count: number;
  /** Share of all scored accounts, 0–1. */
  share: number;
}

export interface Mover {
  accountId: number;
  name: string;
  scoreHundredths: number;
  previousHundredths: number;
  deltaHundredths: number;
  band: Band;
  previousBand: Band;
}

export interface Overview {
  asOfDate: string | null;
  settings: ScoringSettings;
  totalAccounts: number;
  bandCounts: BandCount[];
  averageHundredths: number | null;
  medianHundredths: number | null;
  decliningCount: number;
  histogram: HistogramBin[];
  risers: Mover[];
  fallers: Mover[];
}

export interface OverviewParams {
  /** How many accounts to list among the biggest risers and fallers each. */
  movers?: number;
}

interface MoverRow {
  accountId: number;
  name: string;
  scoreHundredths: number;
  previousHundredths: number;
  band: string;
  previousBand: string;
}

function toMover(row: MoverRow): Mover {
  if (!isBand(row.band) || !isBand(row.previousBand)) throw new Error(`Unknown band stored for account ${row.accountId}`);
  return {
    ...row,
    band: row.band,
    previousBand: row.previousBand,
    deltaHundredths: row.scoreHundredths - row.previousHundredths,
  };
}

/**
 * Everything the overview page shows, read from the materialised scores. Computing it reads
 * every account's score (tens of milliseconds at 50,000 accounts), and the page is the one
 * everybody opens: the result is kept until the next write (query-cache.ts), so concurrent
 * and repeated visits cost a lookup.
 */
export function getOverview(db: Database, params: OverviewParams = {}): Overview {
  const movers = params.movers ?? 5;
  return memoUntilWrite(db, `overview\u0000${movers}`, () => computeOverview(db, movers));
}

function computeOverview(db: Database, movers: number): Overview {
  const settings = getScoringSettings(db);
  const { sqlite } = db;

  const scores = sqlite.prepare("SELECT score_hundredths FROM account_scores").pluck().all() as number[];
  const countsByBand = new Map(
    (sqlite.prepare("SELECT band, count(*) AS n FROM account_scores GROUP BY band").all() as { band: string; n: number }[]).map(
      (r) => [r.band, r.n],
    ),
  );
  const total = scores.length;
  const bandCounts = BANDS.map((band) => {
    const count = countsByBand.get(band) ?? 0;
    return { band, count, share: total === 0 ? 0 : count / total };
  });

  const moverQuery = (order: "ASC" | "DESC") =>
    (
      sqlite
        .prepare(
          `SELECT s.account_id AS accountId, a.name AS name, s.score_hundredths AS scoreHundredths,
                  s.previous_hundredths AS previousHundredths, s.band AS band, s.previous_band AS previousBand
             FROM account_scores s JOIN accounts a ON a.id = s.account_id
            WHERE s.score_hundredths ${order === "DESC" ? ">" : "<"} s.previous_hundredths
            ORDER BY (s.score_hundredths - s.previous_hundredths) ${order}, a.name
            LIMIT ?`,
        )
        .all(movers) as MoverRow[]
    ).map(toMover);

  const asOfDay = sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
  const declining = sqlite.prepare("SELECT count(*) FROM account_scores WHERE declining = 1").pluck().get() as number;

  return {
    asOfDate: asOfDay === null ? null : isoDateFromDay(asOfDay),
    settings,
    totalAccounts: total,
    bandCounts,
    averageHundredths: mean(scores),
    medianHundredths: median(scores),
    decliningCount: declining,
    histogram: scoreHistogram(scores, { binWidth: 10, max: 150, thresholds: settings.thresholds }),
    risers: moverQuery("DESC"),
    fallers: moverQuery("ASC"),
  };
}
