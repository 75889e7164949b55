import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay } from "@/lib/days";
import { matchesFilters } from "../match";
import type { DailyRule } from "../rules";
import { LOCK_KEYS, lockForTransaction, scoresAsOfDay } from "./common";
import { firingContext, firingAccounts } from "./evaluator";
import { fireAlert } from "./fire";
import { enabledRules, markRuleEvaluated } from "./rules";

/**
 * The time-based rules, once a UTC day, with the day's scores: a 40–80 account's renewal
 * entering the next N days, and trials ending within N days below a score. Each rule records
 * the last day it evaluated, so a day missed (server down) is caught up and a day is never
 * evaluated twice; each firing's dedupe key (account and date) makes a repeat store nothing.
 */
export interface DailyRulesSummary {
  evaluated: string[];
  alerts: number;
  /** Why nothing ran (scores not yet as of today). */
  waiting: string | null;
}

type AccountIdRow = Columns<typeof schema.accounts, "id">;

async function candidates(tx: Db, rule: DailyRule, from: number, today: number): Promise<number[]> {
  if (rule.kind === "renewal_window") {
    // Renewals that entered the window since the last evaluation: (from − 1 + days, today + days].
    return tx.all<AccountIdRow>(sql`SELECT a.id FROM accounts a JOIN account_scores s ON s.account_id = a.id
      WHERE s.band = 'medium' AND a.stage <> 'churned'
        AND a.renewal_date > ${isoDateFromDay(from - 1 + rule.params.days)} AND a.renewal_date <= ${isoDateFromDay(today + rule.params.days)}
      ORDER BY a.id`).then((rows) => rows.map((r) => r.id));
  }
  return tx.all<AccountIdRow>(sql`SELECT a.id FROM accounts a JOIN account_scores s ON s.account_id = a.id
    WHERE a.stage = 'trial' AND a.trial_end_date >= ${isoDateFromDay(today)} AND a.trial_end_date <= ${isoDateFromDay(today + rule.params.days)}
      AND s.score_hundredths < ${Math.round(rule.params.belowScore * 100)}
    ORDER BY a.id`).then((rows) => rows.map((r) => r.id));
}

export async function evaluateDailyRules(db: Db, options: { today: number; now?: number }): Promise<DailyRulesSummary> {
  const now = options.now ?? Date.now();
  const { today } = options;
  return db.transaction(async (tx) => {
    await lockForTransaction(tx, LOCK_KEYS.dailyRules);
    const due = (await enabledRules(tx)).filter(
      (r): r is typeof r & { rule: DailyRule } => (r.rule.kind === "renewal_window" || r.rule.kind === "trial_ending") && (r.lastEvaluatedDay ?? -Infinity) < today,
    );
    if (due.length === 0) return { evaluated: [], alerts: 0, waiting: null };
    const asOf = await scoresAsOfDay(tx);
    if (asOf !== null && asOf < today) return { evaluated: [], alerts: 0, waiting: `scores are as of day ${asOf}, not yet today` };

    const ctx = await firingContext(tx);
    let alerts = 0;
    for (const { rule, lastEvaluatedDay } of due) {
      // A rule switched on today starts with what enters today; a missed day is caught up.
      const from = (lastEvaluatedDay ?? today - 1) + 1;
      const ids = await candidates(tx, rule, from, today);
      const accounts = await firingAccounts(tx, ids);
      for (const id of ids) {
        const account = accounts.get(id);
        if (!account || !matchesFilters(rule.filters, account)) continue;
        const date = rule.kind === "renewal_window" ? account.renewalDate : account.trialEndDate;
        const fired = await fireAlert(
          tx,
          { rule, account, dedupeKey: `${rule.kind}:a${id}:${date ?? "none"}`, beforeHundredths: account.scoreHundredths, bandBefore: account.band, activityBefore: account.activity, today, now },
          ctx,
        );
        if (fired) alerts++;
      }
      await markRuleEvaluated(tx, { kind: rule.kind, day: today });
    }
    return { evaluated: due.map((r) => r.rule.kind), alerts, waiting: null };
  });
}
