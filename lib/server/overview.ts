import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay } from "../days";
import { BANDS, isBand, type Band } from "../scoring/bands";
import { CHURNED_STAGE, isActivity, type Activity } from "../scoring/standing";
import { scoreHistogram, type HistogramBin } from "../stats/histogram";
import { mean, median } from "../stats/summary";
import { memoUntilWrite } from "./query-cache";
import { getScoringSettings, type ScoringSettings } from "./settings";

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

  // One pass over every score. The same split as the call lists (lib/call-lists/membership.ts):
  // churned accounts are no longer customers and leave the figures; accounts not active yet
  // are onboarding, in no band (lib/scoring/standing.ts).
  const rows = sqlite
    .prepare(`SELECT s.score_hundredths, s.band, s.activity, a.stage = '${CHURNED_STAGE}' FROM account_scores s JOIN accounts a ON a.id = s.account_id`)
    .raw()
    .all() as [number, string, string, number][];
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
  const moverQuery = (order: "ASC" | "DESC") =>
    (
      sqlite
        .prepare(
          `SELECT s.account_id AS accountId, a.name AS name, s.score_hundredths AS scoreHundredths,
                  s.previous_hundredths AS previousHundredths, s.band AS band, s.activity AS activity,
                  s.previous_band AS previousBand, s.previous_activity AS previousActivity
             FROM account_scores s JOIN accounts a ON a.id = s.account_id
            WHERE s.previous_activity IS NOT NULL AND a.stage <> '${CHURNED_STAGE}' AND s.score_hundredths ${order === "DESC" ? ">" : "<"} s.previous_hundredths
            ORDER BY (s.score_hundredths - s.previous_hundredths) ${order}, a.name
            LIMIT ?`,
        )
        .all(movers) as MoverRow[]
    ).map(toMover);

  const asOfDay = sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null;
  const declining = sqlite
    .prepare(`SELECT count(*) FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE s.declining = 1 AND a.stage <> '${CHURNED_STAGE}'`)
    .pluck()
    .get() as number;

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
    decliningCount: declining,
    histogram: scoreHistogram(
      banded.map((r) => r[0]),
      { binWidth: 10, max: 150, thresholds: settings.thresholds },
    ),
    risers: moverQuery("DESC"),
    fallers: moverQuery("ASC"),
  };
}
