import { z } from "zod";
import { BANDS } from "../scoring/bands";
import { ACTIVITIES } from "../scoring/standing";

/**
 * The read API for CRMs and BI tools (issue 17): what one account's score looks like, and the
 * opaque cursor of GET /api/v1/scores. The zod schemas also describe the answers in the
 * OpenAPI document (lib/ingestion/openapi.ts).
 */
export const scoreRecordSchema = z
  .object({
    accountId: z.string().meta({ description: "Your id of the account (the one ingestion uses)." }),
    name: z.string(),
    score: z.number().meta({ description: "The Customer Engagement Score, in points." }),
    band: z.enum(BANDS).meta({ description: "churn_risk (≤ 0), low, medium, high or power (> 100), with the configured thresholds." }),
    activity: z.enum(ACTIVITIES).meta({
      description:
        "What the score means: active (events that count toward the score in the window), silent (an established account without any: at churn risk), or not_active_yet (inside its first window without any: onboarding, in no band's list).",
    }),
    previousScore: z.number().nullable().meta({ description: "The score at the comparison day (compareDays before asOf); null for a new account, which did not exist then." }),
    change: z.number().nullable().meta({ description: "score − previousScore; null for a new account." }),
    declining: z.boolean().meta({ description: "Whether the fall since the comparison day meets the declining rule (never for a new account)." }),
    asOf: z.iso.date().meta({ description: "The UTC day the score is for." }),
    scoreChangedAt: z.iso.datetime().nullable().meta({ description: "When the score or band last changed." }),
    manager: z.string().nullable(),
    plan: z.string().nullable(),
    stage: z.string(),
    renewalDate: z.iso.date().nullable(),
  })
  .meta({ id: "ScoreRecord" });
export type ScoreRecord = z.infer<typeof scoreRecordSchema>;

export const scoresPageSchema = z
  .object({
    success: z.literal(true),
    data: z.array(scoreRecordSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as ?cursor= for the next page; null on the last page." }),
    syncedUntil: z.iso.datetime().meta({
      description: "Pass as ?changedSince= on your next sync: it overlaps this one by a minute, so a change committed while you read is not missed (repeats are possible; upsert by accountId).",
    }),
  })
  .meta({ id: "ScoresPage" });

export const scoreAnswerSchema = z.object({ success: z.literal(true), data: scoreRecordSchema }).meta({ id: "ScoreAnswer" });

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 100;
/** How far syncedUntil reaches back before the first page was served. */
export const SYNC_OVERLAP_MS = 60_000;

export const scoresQuerySchema = z.strictObject({
  changedSince: z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time, e.g. 2026-12-01T00:00:00Z" }).optional(),
  cursor: z.string().max(500, "is too long").optional(),
  limit: z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
});

/** Where a listing stands: after (changedAt, accountId), for changes since `since`, first served at `startedAt`. */
export interface ScoresCursor {
  since: number;
  changedAt: number;
  accountId: number;
  startedAt: number;
}

const cursorSchema = z.tuple([z.number().int(), z.number().int(), z.number().int().positive(), z.number().int()]);

export function encodeCursor(c: ScoresCursor): string {
  return Buffer.from(JSON.stringify([c.since, c.changedAt, c.accountId, c.startedAt])).toString("base64url");
}

/** The cursor, or null when it is not one this API issued. */
export function decodeCursor(text: string): ScoresCursor | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const [since, changedAt, accountId, startedAt] = parsed.data;
    return { since, changedAt, accountId, startedAt };
  } catch {
    return null;
  }
}
