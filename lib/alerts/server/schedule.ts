import "server-only";
import type { Db } from "@/db/client";
import { isoDateFromDay, MS_PER_DAY, todayDay } from "@/lib/days";
import { evaluateDailyRules } from "./daily-rules";
import { queueDigests } from "./digests";
import { getEmailSettings } from "./email-settings";
import { claimJob, finishJob, releaseJob } from "./jobs";
import { pruneOutbox } from "./outbox";
import { queueScoresChanged } from "./scores-changed";

/**
 * What runs once a day, checked every minute by each app server's worker: the time-based
 * rules (as soon as the day's scores are in), the "scores changed" event for the day that
 * ended, and the digests at the configured hour. Each is claimed per day (jobs.ts).
 */
const LEASE_MS = 10 * 60 * 1000;

export interface DailyRun {
  rules: Awaited<ReturnType<typeof evaluateDailyRules>>;
  scoresChanged: Awaited<ReturnType<typeof queueScoresChanged>> | null;
  digests: Awaited<ReturnType<typeof queueDigests>> | null;
  pruned: { messages: number } | null;
}

async function once<T extends Record<string, unknown>>(db: Db, job: string, period: string, owner: string, now: number, work: () => Promise<T | null>): Promise<T | null> {
  if (!(await claimJob(db, { job, period, owner, now, leaseMs: LEASE_MS }))) return null;
  try {
    const result = await work();
    if (result === null) {
      await releaseJob(db, { job, period, owner });
      return null;
    }
    await finishJob(db, { job, period, owner, now: Date.now(), result });
    return result;
  } catch (error) {
    // Give the period back so the next check retries, and let the worker log the error.
    await releaseJob(db, { job, period, owner });
    throw error;
  }
}

export async function runDailyJobs(db: Db, params: { owner: string; now?: number }): Promise<DailyRun> {
  const now = params.now ?? Date.now();
  const today = todayDay(now);
  const rules = await evaluateDailyRules(db, { today, now });
  const scoresChanged = await once(db, "scores-changed", isoDateFromDay(today - 1), params.owner, now, () => queueScoresChanged(db, { day: today - 1, now }));
  const settings = await getEmailSettings(db);
  const hour = Math.floor((now - today * MS_PER_DAY) / 3_600_000);
  const digests =
    hour >= settings.digestHourUtc
      ? await once(db, "digest", isoDateFromDay(today), params.owner, now, async () => {
          const summary = await queueDigests(db, { today, now });
          // Email not set up yet: try again later today rather than skipping the day.
          return summary.skipped ? null : { ...summary };
        })
      : null;
  const pruned = await once(db, "prune-outbox", isoDateFromDay(today), params.owner, now, async () => ({ messages: await pruneOutbox(db, { now }) }));
  return { rules, scoresChanged, digests, pruned };
}
