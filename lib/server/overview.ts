import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay } from "../days";
import { BANDS, isBand, type Band } from "../scoring/bands";
import { isActivity, type Activity } from "../scoring/standing";
import { scoreHistogram, type HistogramBin } from "../stats/histogram";
import { mean, median } from "../stats/summary";
import { memoUntilWrite } from "./query-cache";
import { getScoringSettings, type ScoringSettings } from "./settings";

export interface BandCount {
  band: Band;
  /** Accounts in the band, not counting accounts not active yet (they are onboarding work: lib/scoring/standing.ts). */
  count: number;
  /** Share of all scored accounts, 0–1. */
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
  totalAccounts: number;
  /** Per band; with notActiveYet they add up to totalAccounts. */
  bandCounts: BandCount[];
  notActiveYet: NotActiveYetCount;
  /** Of the churn-risk count: silent accounts (no scored events); the rest have negative signals outweighing usage. */
  churnRiskSilent: number;
  /** Over every scored account, those not active yet included (as the trends' daily mean). */
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

interface MoverRow {
  accountId: number;
  name: string;
  scoreHundredths: number;
  previousHundredths: number;
  band: string;
  activity: string;
  previousBand: string;
  previousActivity: string;
}

function toMover(row: MoverRow): Mover {
  const { band, activity, previousBand, previousActivity } = row;
  if (!isBand(band) || !isBand(previousBand)) throw new Error(`Unknown band stored for account ${row.accountId}`);
  if (!isActivity(activity) || !isActivity(previousActivity)) throw new Error(`Unknown activity stored for account ${row.accountId}`);
  return { ...row, band, activity, previousBand, previousActivity, deltaHundredths: row.scoreHundredths - row.previousHundredths };
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

  const rows = sqlite.prepare("SELECT score_hundredths, activity = 'not_active_yet' FROM account_scores").raw().all() as [number, number][];
  const scores = rows.map((r) => r[0]);
  // The distribution shows the bands; accounts not active yet are a bar of their own on the page.
  const bandedScores = rows.filter((r) => r[1] === 0).map((r) => r[0]);
  const groups = sqlite.prepare("SELECT band, activity, count(*) AS n FROM account_scores GROUP BY band, activity").all() as {
    band: string;
    activity: string;
    n: number;
  }[];
  const total = scores.length;
  const share = (count: number) => (total === 0 ? 0 : count / total);
  // The same split as the call lists (lib/server/call-lists.ts): accounts not active yet are onboarding, in no band.
  const inBand = (band: Band) => groups.filter((g) => g.band === band && g.activity !== "not_active_yet").reduce((n, g) => n + g.n, 0);
  const bandCounts = BANDS.map((band) => ({ band, count: inBand(band), share: share(inBand(band)) }));
  const notActiveYet = groups.filter((g) => g.activity === "not_active_yet").reduce((n, g) => n + g.n, 0);
  const churnRiskSilent = groups.filter((g) => g.band === "churn_risk" && g.activity === "silent").reduce((n, g) => n + g.n, 0);

  // Only accounts that existed on the comparison day have a previous score to move from.
  const moverQuery = (order: "ASC" | "DESC") =>
    (
      sqlite
        .prepare(
          `SELECT s.account_id AS accountId, a.name AS name, s.score_hundredths AS scoreHundredths,
                  s.previous_hundredths AS previousHundredths, s.band AS band, s.activity AS activity,
                  s.previous_band AS previousBand, s.previous_activity AS previousActivity
             FROM account_scores s JOIN accounts a ON a.id = s.account_id
            WHERE s.previous_activity IS NOT NULL AND s.score_hundredths ${order === "DESC" ? ">" : "<"} s.previous_hundredths
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
    notActiveYet: { count: notActiveYet, share: share(notActiveYet) },
    churnRiskSilent,
    averageHundredths: mean(scores),
    medianHundredths: median(scores),
    decliningCount: declining,
    histogram: scoreHistogram(bandedScores, { binWidth: 10, max: 150, thresholds: settings.thresholds }),
    risers: moverQuery("DESC"),
    fallers: moverQuery("ASC"),
  };
}
