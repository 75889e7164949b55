import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, LeftJoined } from "@/db/rows";
import type * as schema from "@/db/schema";
import { inList } from "@/db/dialect";
import { parseIsoDate } from "@/lib/days";
import { historyThroughDay } from "@/lib/scoring/history";
import { addToPreview, emptyPreview, firingDays, previewHistoryDays, type PreviewAccount, type RulePreview } from "../preview";
import type { RuleCore } from "../rules";
import { readScoringContext, scoresAsOfDay } from "./common";

/**
 * Runs a rule's preview over every account, a chunk at a time (keyset by id), from the
 * stored daily history: what the rule would have fired in the last 30 days with today's rules.
 */
const CHUNK = 2000;

/** An account (`manager`: its account manager) with its score, first scored day and stored history (if any). */
type Row = Columns<typeof schema.accounts, "id" | "plan" | "region" | "industry" | "stage" | "renewalDate" | "trialEndDate"> &
  Columns<typeof schema.accountScores, "scoreHundredths"> &
  LeftJoined<Columns<typeof schema.scoreHistory, "startDay" | "scores">> & {
    manager: Column<typeof schema.accounts, "accountManager">;
    accountFirstDay: Column<typeof schema.accountScores, "firstDay">;
  };

type TagRow = Columns<typeof schema.accountTags, "accountId" | "tag">;

export interface RulePreviewResult extends RulePreview {
  samples: { id: number; name: string }[];
  /** The scores' day the preview ends on (null: nothing scored yet). */
  asOfDay: number | null;
}

export async function previewRule(db: Db, params: { rule: RuleCore }): Promise<RulePreviewResult> {
  const asOf = await scoresAsOfDay(db);
  const preview = emptyPreview();
  if (asOf === null) return { ...preview, samples: [], asOfDay: null };
  const scoring = await readScoringContext(db);
  const ctx = { today: asOf, thresholds: scoring.thresholds, decline: scoring.decline, compareDays: scoring.compareDays, windowDays: scoring.windowDays };
  const need = previewHistoryDays(params.rule.kind, scoring.compareDays);
  const firstDay = asOf - need;
  let after = 0;
  for (;;) {
    const rows = await db.all<Row>(sql`SELECT a.id, a.plan, a.region, a.industry, a.stage, a.account_manager AS manager, a.renewal_date AS "renewalDate",
        a.trial_end_date AS "trialEndDate", s.score_hundredths AS "scoreHundredths", s.first_day AS "accountFirstDay", h.start_day AS "startDay", h.scores
      FROM accounts a JOIN account_scores s ON s.account_id = a.id LEFT JOIN score_history h ON h.account_id = a.id
      WHERE a.id > ${after} ORDER BY a.id LIMIT ${CHUNK}`);
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    const tags = await db.all<TagRow>(sql`SELECT account_id AS "accountId", tag FROM account_tags WHERE ${inList(sql`account_id`, ids)}`);
    const tagsBy = new Map<number, string[]>();
    for (const t of tags) tagsBy.set(t.accountId, [...(tagsBy.get(t.accountId) ?? []), t.tag]);
    for (const row of rows) {
      const series = row.scores !== null && row.startDay !== null ? historyThroughDay(row.scores, row.startDay, asOf, row.scoreHundredths) : null;
      // Days before the stored history are unknown (null in scoreOn): they never fire.
      const start = series ? asOf - series.length + 1 : asOf;
      const offset = Math.max(0, firstDay - start);
      const account: PreviewAccount = {
        accountId: row.id,
        plan: row.plan,
        region: row.region,
        industry: row.industry,
        stage: row.stage,
        manager: row.manager,
        tags: tagsBy.get(row.id) ?? [],
        firstDay: start + offset,
        scores: series ? series.subarray(offset) : [row.scoreHundredths],
        accountFirstDay: row.accountFirstDay,
        renewalDay: row.renewalDate === null ? null : parseIsoDate(row.renewalDate),
        trialEndDay: row.trialEndDate === null ? null : parseIsoDate(row.trialEndDate),
      };
      addToPreview(preview, account, firingDays(params.rule, account, ctx), ctx);
    }
    const last = rows.at(-1);
    if (!last || rows.length < CHUNK) break;
    after = last.id;
  }
  const samples =
    preview.sampleAccountIds.length === 0
      ? []
      : await db.all<Columns<typeof schema.accounts, "id" | "name">>(sql`SELECT id, name FROM accounts WHERE ${inList(sql`id`, preview.sampleAccountIds)} ORDER BY name`);
  return { ...preview, samples, asOfDay: asOf };
}
