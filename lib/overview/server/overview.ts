import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { byteOrder } from "@/db/dialect";
import { onSqlite } from "@/db/sqlite-client";
import { isoDateFromDay } from "@/lib/days";
import { BANDS, type Band } from "@/lib/scoring/bands";
import { CHURNED_STAGE, type Activity } from "@/lib/scoring/standing";
import { scoreHistogram, type HistogramBin } from "@/lib/stats/histogram";
import { mean, median } from "@/lib/stats/summary";
import { memoUntilChange, readConsistently } from "@/db/query-cache";
import { loadScoringSettings, type ScoringSettings } from "@/lib/scoring/server/settings";

export interface BandCount {
  band: Band;
  /** Accounts in the band, not counting accounts not active yet (they are onboarding work: lib/scoring/standing.ts). */
  count: number;
  /** Share of the counted accounts (trials and customers), 0–1. */
  share: number;
}

/** The accounts not active yet: inside their first window, no scored events. */
export interface NotActiveYetCount {
  count: number;
  share: number;
}

export interface Mover {
  accountId: number;
  name: string;
  scoreHundredths: number;
  previousHundredths: number;
  deltaHundredths: number;
  band: Band;
  activity: Activity;
  previousBand: Band;
  previousActivity: Activity;
}

export interface Overview {
  asOfDate: string | null;
  settings: ScoringSettings;
  /** Every scored account. */
  totalAccounts: number;
  /** Trials and customers: the accounts the figures below count (churned accounts are no longer customers). */
  countedAccounts: number;
  churnedAccounts: number;
  /** Per band, of the counted accounts; with notActiveYet they add up to countedAccounts. */
  bandCounts: BandCount[];
  notActiveYet: NotActiveYetCount;
  /** Of the churn-risk count: silent accounts (no scored events); the rest have negative signals outweighing usage. */
  churnRiskSilent: number;
  /** Over the counted accounts, those not active yet included. */
  averageHundredths: number | null;
  medianHundredths: number | null;
  decliningCount: number;
  /** Accounts in the bands by score (those not active yet are `notActiveYet`). */
  histogram: HistogramBin[];
  risers: Mover[];
  fallers: Mover[];
}

export interface OverviewParams {
  /** How many accounts to list among the biggest risers and fallers each. */
  movers?: number;
}

/** A mover's stored score with its account's name; the query keeps only accounts with a previous score. */
type MoverRow = NotNull<
  Columns<typeof schema.accountScores, "accountId" | "scoreHundredths" | "previousHundredths" | "band" | "activity" | "previousBand" | "previousActivity">,
  "previousActivity"
> & { name: Column<typeof schema.accounts, "name"> };

function toMover(row: MoverRow): Mover {
  return { ...row, deltaHundredths: row.scoreHundredths - row.previousHundredths };
}

/** The day the scores are as of (null: none stored) and how many counted accounts are declining (computed). */
interface SummaryRow {
  asOfDay: Column<typeof schema.accountScores, "asOfDay"> | null;
  declining: number;
}

/**
 * Everything the overview page shows, read from the materialised scores. Computing it reads
 * every account's score (tens of milliseconds at 50,000 accounts), and the page is the one
 * everybody opens: the result is kept until the next write (query-cache.ts), so concurrent
 * and repeated visits cost a lookup.
 */
export async function getOverview(db: Db, params: OverviewParams = {}): Promise<Overview> {
  const movers = params.movers ?? 5;
  // One snapshot for the version and every figure: never bands of one recompute with movers of another.
  return readConsistently(db, (snapshot) => memoUntilChange(snapshot, `overview\u0000${movers}`, () => computeOverview(snapshot, movers)));
}

/** One account's score as the overview counts it: [score, band, activity, churned 0/1]. */
type ScoreTuple = readonly [score: number, band: string, activity: string, churned: number];

/** The same row, named, as PostgreSQL returns it (`churned` is computed). */
interface ScoreRow {
  score: Column<typeof schema.accountScores, "scoreHundredths">;
  band: Column<typeof schema.accountScores, "band">;
  activity: Column<typeof schema.accountScores, "activity">;
  churned: number;
}

// `churned` is 0/1 on both databases (a bare comparison would be a boolean on PostgreSQL).
const EVERY_SCORE = `SELECT s.score_hundredths AS score, s.band AS band, s.activity AS activity,
       CASE WHEN a.stage = '${CHURNED_STAGE}' THEN 1 ELSE 0 END AS churned
  FROM account_scores s JOIN accounts a ON a.id = s.account_id`;

/**
 * Every account's score. On SQLite the rows come as arrays (better-sqlite3's raw mode reads
 * 50,000 rows about 1.5 times as fast as objects; this is the page's hot path), the same SQL.
 */
async function readEveryScore(db: Db): Promise<ScoreTuple[]> {
  const onLite = onSqlite(db, (sqlite) => sqlite.prepare(EVERY_SCORE).raw().all().map(scoreTuple));
  if (onLite) return onLite;
  const rows = await db.all<ScoreRow>(sql.raw(EVERY_SCORE));
  return rows.map((r) => [r.score, r.band, r.activity, r.churned]);
}

/** A raw SQLite row (typed `unknown` by the driver), checked instead of cast. */
function scoreTuple(row: unknown): ScoreTuple {
  if (Array.isArray(row)) {
    const [score, band, activity, churned]: unknown[] = row;
    if (typeof score === "number" && typeof band === "string" && typeof activity === "string" && typeof churned === "number") {
      return [score, band, activity, churned];
    }
  }
  throw new Error("account_scores returned a row of the wrong shape");
}

async function computeOverview(db: Db, movers: number): Promise<Overview> {
  const settings = await loadScoringSettings(db);

  // One pass over every score. The same split as the call lists (lib/accounts/lists/membership.ts):
  // churned accounts are no longer customers and leave the figures; accounts not active yet
  // are onboarding, in no band (lib/scoring/standing.ts).
  const rows = await readEveryScore(db);
  const total = rows.length;
  const counted = rows.filter((r) => r[3] === 0);
  const scores = counted.map((r) => r[0]);
  const banded = counted.filter((r) => r[2] !== "not_active_yet");
  const share = (count: number) => (counted.length === 0 ? 0 : count / counted.length);
  const inBand = (band: Band) => banded.filter((r) => r[1] === band).length;
  const bandCounts = BANDS.map((band) => ({ band, count: inBand(band), share: share(inBand(band)) }));
  const notActiveYet = counted.length - banded.length;
  const churnRiskSilent = banded.filter((r) => r[1] === "churn_risk" && r[2] === "silent").length;

  // Only accounts that existed on the comparison day have a previous score to move from.
  // Ties by name in byte order on both databases (PostgreSQL would order by its locale).
  const moverQuery = async (order: "ASC" | "DESC") => {
    const rows = await db.all<MoverRow>(
      sql`SELECT s.account_id AS "accountId", a.name AS name, s.score_hundredths AS "scoreHundredths",
                 s.previous_hundredths AS "previousHundredths", s.band AS band, s.activity AS activity,
                 s.previous_band AS "previousBand", s.previous_activity AS "previousActivity"
            FROM account_scores s JOIN accounts a ON a.id = s.account_id
           WHERE s.previous_activity IS NOT NULL AND a.stage <> ${CHURNED_STAGE}
             AND s.score_hundredths ${sql.raw(order === "DESC" ? ">" : "<")} s.previous_hundredths
           ORDER BY (s.score_hundredths - s.previous_hundredths) ${sql.raw(order)}, ${byteOrder(db.dialect, sql`a.name`)}
           LIMIT ${movers}`,
    );
    return rows.map(toMover);
  };

  const summary = await db.get<SummaryRow>(
    sql`SELECT (SELECT max(as_of_day) FROM account_scores) AS "asOfDay",
               (SELECT count(*) FROM account_scores s JOIN accounts a ON a.id = s.account_id
                 WHERE s.declining = 1 AND a.stage <> ${CHURNED_STAGE}) AS declining`,
  );
  const asOfDay = summary?.asOfDay ?? null;

  return {
    asOfDate: asOfDay === null ? null : isoDateFromDay(asOfDay),
    settings,
    totalAccounts: total,
    countedAccounts: counted.length,
    churnedAccounts: total - counted.length,
    bandCounts,
    notActiveYet: { count: notActiveYet, share: share(notActiveYet) },
    churnRiskSilent,
    averageHundredths: mean(scores),
    medianHundredths: median(scores),
    decliningCount: summary?.declining ?? 0,
    histogram: scoreHistogram(
      banded.map((r) => r[0]),
      { binWidth: 10, max: 150, thresholds: settings.thresholds },
    ),
    risers: await moverQuery("DESC"),
    fallers: await moverQuery("ASC"),
  };
}
