import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { isoDateFromDay, startOfDayMs } from "@/lib/days";
import { SCORE_RECORD_COLUMNS, toScoreRecord } from "@/lib/read-api/server/scores";
import { webhookEnvelope } from "../messages";
import { MAX_PAYLOAD_BYTES } from "../outbound";
import { destinationsById } from "./destinations";
import { enqueue } from "./outbox";

/**
 * The daily "scores changed" webhook event: the accounts whose score or band changed during a
 * UTC day, with the same records as GET /api/v1/scores, to every webhook endpoint subscribed
 * to it. Large days are split into parts ("scch_<date>_<part>"), each well under the payload limit.
 */
export const SCORES_CHANGED_PART_SIZE = 500;

export async function queueScoresChanged(db: Db, params: { day: number; now?: number }): Promise<{ accounts: number; parts: number; endpoints: number }> {
  const now = params.now ?? Date.now();
  const endpoints = [...(await destinationsById(db)).values()].filter((d) => d.enabled && d.kind === "webhook" && d.events.includes("scores.changed"));
  if (endpoints.length === 0) return { accounts: 0, parts: 0, endpoints: 0 };
  const rows = await db.all<Parameters<typeof toScoreRecord>[0]>(sql`
    SELECT ${SCORE_RECORD_COLUMNS}
    FROM account_score_changes c JOIN accounts a ON a.id = c.account_id JOIN account_scores s ON s.account_id = c.account_id
    WHERE c.changed_at >= ${startOfDayMs(params.day)} AND c.changed_at < ${startOfDayMs(params.day + 1)}
    ORDER BY c.changed_at, c.account_id`);
  const records = rows.map(toScoreRecord);
  const parts = Math.max(1, Math.ceil(records.length / SCORES_CHANGED_PART_SIZE));
  const date = isoDateFromDay(params.day);
  await db.transaction(async (tx) => {
    for (let part = 1; part <= parts; part++) {
      const accounts = records.slice((part - 1) * SCORES_CHANGED_PART_SIZE, part * SCORES_CHANGED_PART_SIZE);
      const messageId = `scch_${date}_${part}`;
      const payload = JSON.stringify(webhookEnvelope("scores.changed", now, { id: messageId, date, part, parts, total: records.length, accounts }));
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new Error(`scores.changed part ${part} is ${Buffer.byteLength(payload)} bytes, above the ${MAX_PAYLOAD_BYTES}-byte limit`);
      for (const endpoint of endpoints) {
        await enqueue(tx, { messageId, channel: "webhook", target: String(endpoint.id), eventType: "scores.changed", payload, now });
      }
    }
  });
  return { accounts: records.length, parts, endpoints: endpoints.length };
}
