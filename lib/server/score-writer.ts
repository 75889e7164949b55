import "server-only";
import type { Database } from "@/db";
import type { DayNumber } from "../days";
import { bandFor } from "../scoring/bands";
import { isDeclining } from "../scoring/decline";
import { encodeHistory } from "../scoring/history";
import { rollingWindowSums } from "../scoring/score";
import { dailyPointsForAccounts, scoreAllAccounts } from "./score-queries";
import { getScoringSettings } from "./settings";

/** Days of daily score history kept per account (12 months). */
export const HISTORY_DAYS = 365;

export interface RecomputeParams {
  asOfDay: DayNumber;
  historyDays?: number;
  /** Only these accounts (default: every account). */
  accountIds?: readonly number[];
}

export interface RecomputeSummary {
  accounts: number;
  asOfDay: DayNumber;
  historyDays: number;
  configVersion: number;
  millis: number;
}

/**
 * Computes scores, bands, declining flags and daily history from the rollups and writes them
 * (in a transaction of its own, or as a savepoint of the caller's). Callers keep the score
 * watermark (score-watermark.ts) in step: see recompute.ts and score-sync.ts.
 */
export function writeScores(db: Database, params: RecomputeParams): RecomputeSummary {
  const started = performance.now();
  const settings = getScoringSettings(db);
  const historyDays = params.historyDays ?? HISTORY_DAYS;
  const { asOfDay } = params;
  const { windowDays, compareDays, thresholds, decline, configVersion } = settings;

  const accountIds = params.accountIds ? [...params.accountIds].sort((a, b) => a - b) : undefined;
  const pairs = scoreAllAccounts(db, { endDay: asOfDay, windowDays, compareDays, accountIds });

  const historyFrom = asOfDay - historyDays + 1;
  const pointsFrom = historyFrom - windowDays + 1;
  const pointsLength = asOfDay - pointsFrom + 1;

  const upsertScore = db.sqlite.prepare(
    `INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version)
     VALUES (@accountId, @asOfDay, @current, @previous, @band, @previousBand, @declining, @configVersion)
     ON CONFLICT(account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
       previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
       declining = excluded.declining, config_version = excluded.config_version`,
  );
  const upsertHistory = db.sqlite.prepare(
    `INSERT INTO score_history (account_id, start_day, scores, config_version) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id) DO UPDATE SET start_day = excluded.start_day, scores = excluded.scores, config_version = excluded.config_version`,
  );

  const points = new Float64Array(pointsLength);
  const CHUNK = 1000;

  db.sqlite.transaction(() => {
    for (let start = 0; start < pairs.length; start += CHUNK) {
      const chunk = pairs.slice(start, start + CHUNK);
      const first = chunk[0];
      const last = chunk[chunk.length - 1];
      if (!first || !last) continue;
      const rows = dailyPointsForAccounts(db, {
        fromAccountId: first.accountId,
        toAccountId: last.accountId,
        fromDay: pointsFrom,
        toDay: asOfDay,
        accountIds: accountIds ? chunk.map((p) => p.accountId) : undefined,
      });
      // Rows arrive ordered by account, like `chunk`; accounts without events get zeros.
      let r = 0;
      for (const pair of chunk) {
        points.fill(0);
        for (; r < rows.length; r++) {
          const row = rows[r];
          if (!row || row.accountId !== pair.accountId) break;
          points[row.day - pointsFrom] = row.points;
        }
        const series = rollingWindowSums(points, windowDays, historyDays);
        upsertHistory.run(pair.accountId, historyFrom, encodeHistory(series), configVersion);

        const { current, previous } = pair;
        upsertScore.run({
          accountId: pair.accountId,
          asOfDay,
          current,
          previous,
          band: bandFor(current / 100, thresholds),
          previousBand: bandFor(previous / 100, thresholds),
          declining: isDeclining(current, previous, decline) ? 1 : 0,
          configVersion,
        });
      }
    }
  })();

  return {
    accounts: pairs.length,
    asOfDay,
    historyDays,
    configVersion,
    millis: Math.round(performance.now() - started),
  };
}
