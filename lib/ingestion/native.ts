import { z } from "zod";
import { dayFromMs } from "../days";
import { nativeAccountSchema, patchFromNativeAccount } from "./account-fields";
import { fieldsFromNativeOutcome, nativeOutcomeSchema, outcomeProblem } from "./outcome-fields";
import { eventTypeKey, eventTypeLabel } from "./event-types";
import { eventTimeProblem } from "../date-ranges";
import { cleanLine, safeIdentifier } from "../text-safety";
import { MAX_BATCH_EVENTS, MAX_QUANTITY, MAX_TEXT_LENGTH } from "./limits";
import { generatedMessageId } from "./message-id";
import type { MapResult } from "./segment";

const id = z.string().trim().min(1).max(MAX_TEXT_LENGTH).pipe(safeIdentifier);

/** One event in POST /api/v1/events. */
export const nativeEventSchema = z
  .strictObject({
    messageId: id.optional().meta({ description: "Idempotency key: an event whose id was already stored (on the same UTC day) is acknowledged, not counted again. Generated from the content when missing." }),
    event: z.string().transform(cleanLine).pipe(z.string().trim().min(1).max(MAX_TEXT_LENGTH)).meta({ description: "Event name or type key; unknown names are registered with weight 0.", example: "Report Created" }),
    accountId: id.optional().meta({ description: "Your id of the account (created when unknown). Either accountId or userId is required.", example: "acme-inc" }),
    userId: id.optional().meta({ description: "A product user id; attributed through its link to an account (waits for the link when there is none yet)." }),
    timestamp: z.iso.datetime({ offset: true }).meta({ description: "When it happened, ISO-8601 with a time zone.", example: "2026-11-22T09:30:00Z" }),
    quantity: z.number().int().min(1).max(MAX_QUANTITY).optional().meta({ description: "How many occurrences this event stands for (default 1)." }),
    properties: z.record(z.string(), z.unknown()).optional().meta({ description: "Free-form; stored nowhere yet, accepted for compatibility." }),
  })
  .refine((e) => e.accountId !== undefined || e.userId !== undefined, { message: "either accountId or userId is required", path: ["accountId"] })
  .meta({ id: "Event" });

export type NativeEvent = z.infer<typeof nativeEventSchema>;

/** The envelopes: items are checked one by one so one bad item does not sink the rest. */
export const nativeEventsEnvelopeSchema = z.strictObject({ events: z.array(z.unknown()) });
export const nativeAccountsEnvelopeSchema = z.strictObject({ accounts: z.array(z.unknown()) });
export const nativeOutcomesEnvelopeSchema = z.strictObject({ outcomes: z.array(z.unknown()) });

/** For the OpenAPI document: the envelopes with their item schemas. */
export const nativeEventsRequestSchema = z
  .strictObject({ events: z.array(nativeEventSchema).min(1).max(MAX_BATCH_EVENTS) })
  .meta({ id: "EventsRequest" });
export const nativeAccountsRequestSchema = z
  .strictObject({ accounts: z.array(nativeAccountSchema).min(1).max(MAX_BATCH_EVENTS) })
  .meta({ id: "AccountsRequest" });
export const nativeOutcomesRequestSchema = z
  .strictObject({ outcomes: z.array(nativeOutcomeSchema).min(1).max(MAX_BATCH_EVENTS) })
  .meta({ id: "OutcomesRequest" });

function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue ? issue.path.join(".") : "", message: issue?.message ?? "is invalid" };
}

export function mapNativeEvent(raw: unknown, receivedAt: number): MapResult {
  const rawId = typeof raw === "object" && raw !== null ? (raw as { messageId?: unknown }).messageId : undefined;
  const parsed = nativeEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, messageId: typeof rawId === "string" ? rawId : null, ...firstIssue(parsed.error) };
  const e = parsed.data;
  const messageId = e.messageId ?? generatedMessageId(raw as Record<string, unknown>);
  const typeKey = eventTypeKey(e.event);
  if (!typeKey) return { ok: false, messageId, field: "event", message: "must contain a letter or digit" };
  const ms = Date.parse(e.timestamp);
  const problem = eventTimeProblem(ms, receivedAt);
  if (problem) return { ok: false, messageId, field: "timestamp", message: problem };
  return {
    ok: true,
    op: {
      kind: "event",
      messageId,
      typeKey,
      typeLabel: eventTypeLabel(e.event),
      occurredAt: ms,
      day: dayFromMs(ms),
      quantity: e.quantity ?? 1,
      groupId: e.accountId ?? null,
      userId: e.userId ?? null,
      anonymousId: null,
    },
  };
}

export function mapNativeAccount(raw: unknown): MapResult {
  const parsed = nativeAccountSchema.safeParse(raw);
  if (!parsed.success) {
    const rawId = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
    return { ok: false, messageId: typeof rawId === "string" ? rawId : null, ...firstIssue(parsed.error) };
  }
  const account = parsed.data;
  return {
    ok: true,
    op: { kind: "account", messageId: account.id, groupId: account.id, patch: patchFromNativeAccount(account), linkIds: [...new Set(account.userIds ?? [])] },
  };
}

/** One outcome of POST /api/v1/outcomes: identified by account and renewal date. */
export function mapNativeOutcome(raw: unknown, receivedAt: number): MapResult {
  const parsed = nativeOutcomeSchema.safeParse(raw);
  const record = typeof raw === "object" && raw !== null ? (raw as { accountId?: unknown; renewalDate?: unknown }) : {};
  const label = typeof record.accountId === "string" ? `${record.accountId}@${typeof record.renewalDate === "string" ? record.renewalDate : "?"}` : null;
  if (!parsed.success) return { ok: false, messageId: label, ...firstIssue(parsed.error) };
  const fields = fieldsFromNativeOutcome(parsed.data);
  const messageId = `${parsed.data.accountId}@${fields.renewalDate}`;
  const problem = outcomeProblem(fields, receivedAt);
  if (problem) return { ok: false, messageId, field: problem.field, message: problem.message };
  return { ok: true, op: { kind: "outcome", messageId, groupId: parsed.data.accountId, accountField: "accountId", outcome: fields, source: "api" } };
}
