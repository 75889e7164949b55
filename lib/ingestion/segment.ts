import { z } from "zod";
import { dayFromMs, type DayNumber } from "../days";
import { parseAccountValues, type AccountPatch } from "./account-fields";
import { orderingTime } from "./field-times";
import type { OutcomeSource } from "../accounts/renewal-outcomes";
import { OUTCOME_TRAIT_NAMES, outcomeProblem, parseOutcomeTraits, type OutcomeFields } from "./outcome-fields";
import { eventTypeKey, eventTypeLabel, PAGE_EVENT_NAME, SCREEN_EVENT_NAME } from "./event-types";
import { eventTimeProblem } from "../date-ranges";
import { cleanLine, hasUnsafeCharacters, UNSAFE_IDENTIFIER_MESSAGE } from "../text-safety";
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from "./limits";
import { generatedMessageId } from "./message-id";
import { parseSegmentMessage, SEGMENT_CALL_TYPES, type SegmentCallType, type SegmentMessage } from "./segment-message";

export { SEGMENT_CALL_TYPES, segmentMessageSchema, type SegmentCallType, type SegmentMessage } from "./segment-message";

export type SegmentEndpoint = SegmentCallType | "batch";

const ENDPOINTS: Record<string, SegmentEndpoint> = {
  batch: "batch",
  b: "batch",
  import: "batch",
  track: "track",
  t: "track",
  identify: "identify",
  i: "identify",
  group: "group",
  g: "group",
  page: "page",
  p: "page",
  screen: "screen",
  s: "screen",
  alias: "alias",
  a: "alias",
};

/** The endpoint a path segment after /v1/ names ("t" → track), or null for none. */
export function segmentEndpoint(path: string): SegmentEndpoint | null {
  return Object.prototype.hasOwnProperty.call(ENDPOINTS, path) ? (ENDPOINTS[path] ?? null) : null;
}

const timeValue = z.string().nullish().meta({ description: "ISO-8601 date-time.", format: "date-time" });

export const segmentBatchSchema = z
  .looseObject({
    batch: z.array(z.unknown()).meta({ description: "Up to 2,500 messages, each a SegmentMessage." }),
    sentAt: timeValue,
    writeKey: z.string().optional(),
    context: z.record(z.string(), z.unknown()).nullish().meta({ description: "Merged into each message's context." }),
  })
  .meta({ id: "SegmentBatch" });

// ---- what a message means ------------------------------------------------------------

export interface EventOp {
  kind: "event";
  messageId: string;
  typeKey: string;
  typeLabel: string;
  occurredAt: number;
  day: DayNumber;
  quantity: number;
  groupId: string | null;
  userId: string | null;
  anonymousId: string | null;
}

/** group, or identify naming a company: upsert the account and link the user to it. */
export interface AccountOp {
  kind: "account";
  messageId: string;
  groupId: string;
  patch: AccountPatch;
  /**
   * The time the message speaks for (lib/ingestion/field-times.ts): a field or link set by a
   * newer message is kept. Absent for the native API and CSV imports: as of their arrival.
   */
  at?: number;
  /** A Segment message: a repeated messageId is a duplicate, never applied again. */
  applyOnce?: true;
  /** User and anonymous ids to link to the account. */
  linkIds: string[];
  /** A renewal outcome the same call records for the account (Segment `group` traits). */
  outcome?: OutcomeFields;
}

/** A renewal outcome for an existing account (native API, CSV import). */
export interface OutcomeOp {
  kind: "outcome";
  /** Identifies the item in rejections: "accountId@renewalDate". */
  messageId: string;
  groupId: string;
  /** How the sender names the account field, for a rejection when the account does not exist. */
  accountField: string;
  outcome: OutcomeFields;
  source: OutcomeSource;
}

/** alias: previousId and userId are the same person. Applied once per messageId. */
export interface AliasOp {
  kind: "alias";
  messageId: string;
  userId: string;
  previousId: string;
  /** The time the message speaks for: the time of the link it makes. */
  at: number;
}

/** A valid Segment message that changes nothing here (an identify without a company); once per messageId. */
export interface NoOp {
  kind: "noop";
  messageId: string;
  /** Who sent it (userId, else anonymousId): recorded with the applied messageId, for erasure. */
  userId: string | null;
}

export type IngestOp = EventOp | AccountOp | OutcomeOp | AliasOp | NoOp;

export interface Rejection {
  field: string;
  message: string;
}

export type MapResult = { ok: true; op: IngestOp } | ({ ok: false; messageId: string | null } & Rejection);

export interface MapContext {
  /** The call type the endpoint implies; null inside a batch, where each message says. */
  endpointType: SegmentCallType | null;
  /** sentAt of the batch, used when a message has none of its own. */
  batchSentAt: string | null;
  /** Context of the batch, merged under each message's own. */
  batchContext: Record<string, unknown> | null;
  receivedAt: number;
}

const ISO_PREFIX = /^\d{4}-\d{2}-\d{2}/;

function parseTime(text: string | null | undefined): number | null | "invalid" {
  if (text === null || text === undefined || text === "") return null;
  if (!ISO_PREFIX.test(text)) return "invalid";
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : "invalid";
}

/**
 * When the event happened: `timestamp`, else receivedAt − (sentAt − originalTimestamp)
 * (the device clock corrected by the delay it reported), else the time it was received.
 */
export function eventTime(
  message: Pick<SegmentMessage, "timestamp" | "originalTimestamp" | "sentAt">,
  batchSentAt: string | null,
  receivedAt: number,
): { ok: true; ms: number } | ({ ok: false } & Rejection) {
  const timestamp = parseTime(message.timestamp);
  if (timestamp === "invalid") return { ok: false, field: "timestamp", message: "must be an ISO-8601 date-time" };
  let ms = timestamp;
  if (ms === null) {
    const original = parseTime(message.originalTimestamp);
    if (original === "invalid") return { ok: false, field: "originalTimestamp", message: "must be an ISO-8601 date-time" };
    const sentAt = parseTime(message.sentAt ?? batchSentAt);
    if (sentAt === "invalid") return { ok: false, field: "sentAt", message: "must be an ISO-8601 date-time" };
    ms = original !== null && sentAt !== null ? receivedAt - (sentAt - original) : receivedAt;
  }
  const problem = eventTimeProblem(ms, receivedAt);
  if (problem) return { ok: false, field: "timestamp", message: problem };
  return { ok: true, ms };
}

function linkIdsOf(message: SegmentMessage): string[] {
  const ids: string[] = [];
  if (message.userId) ids.push(message.userId);
  if (message.anonymousId && message.anonymousId !== message.userId) ids.push(message.anonymousId);
  return ids;
}

function reject(messageId: string | null, field: string, message: string): MapResult {
  return { ok: false, messageId, field, message };
}

function groupIdOf(value: unknown): string | null {
  if (typeof value === "string") return value.trim().slice(0, MAX_ID_LENGTH + 1) || null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

function eventOp(
  message: SegmentMessage,
  raw: Record<string, unknown>,
  name: string,
  groupId: string | null,
  ctx: MapContext,
): MapResult {
  const messageId = message.messageId ?? generatedMessageId(raw);
  const typeKey = eventTypeKey(name);
  if (!typeKey) return reject(messageId, "event", "must contain a letter or digit");
  if (groupId !== null && hasUnsafeCharacters(groupId)) return reject(messageId, "context.groupId", UNSAFE_IDENTIFIER_MESSAGE);
  if (!message.userId && !message.anonymousId && !groupId) {
    return reject(messageId, "userId", "a track call needs a userId, an anonymousId or a context.groupId");
  }
  const time = eventTime(message, ctx.batchSentAt, ctx.receivedAt);
  if (!time.ok) return reject(messageId, time.field, time.message);
  return {
    ok: true,
    op: {
      kind: "event",
      messageId,
      typeKey,
      typeLabel: eventTypeLabel(name),
      occurredAt: time.ms,
      day: dayFromMs(time.ms),
      quantity: 1,
      groupId,
      userId: message.userId ?? null,
      anonymousId: message.anonymousId ?? null,
    },
  };
}

/** What one Segment message means for this product, or why it cannot be taken. */
export function mapSegmentMessage(raw: unknown, ctx: MapContext): MapResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return reject(null, "", "must be a JSON object");
  const parsed = parseSegmentMessage(raw);
  const rawMessageId = (raw as { messageId?: unknown }).messageId;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join(".") : "";
    return reject(typeof rawMessageId === "string" ? rawMessageId : null, field, issue?.message ?? "is invalid");
  }
  const message = parsed.data;
  const record = raw as Record<string, unknown>;
  const type = ctx.endpointType ?? message.type;
  if (!type) return reject(message.messageId ?? null, "type", `must be one of ${SEGMENT_CALL_TYPES.join(", ")}`);
  const contextGroupId = message.context?.groupId ?? groupIdOf(ctx.batchContext?.groupId) ?? null;

  switch (type) {
    case "track": {
      const name = cleanLine(message.event ?? "").trim();
      if (!name) return reject(message.messageId ?? null, "event", "is required for a track call");
      if (name.length > MAX_TEXT_LENGTH) return reject(message.messageId ?? null, "event", `must be at most ${MAX_TEXT_LENGTH} characters`);
      return eventOp(message, record, name, contextGroupId ?? message.properties?.groupId ?? null, ctx);
    }
    case "page":
      return eventOp(message, record, PAGE_EVENT_NAME, contextGroupId ?? message.properties?.groupId ?? null, ctx);
    case "screen":
      return eventOp(message, record, SCREEN_EVENT_NAME, contextGroupId ?? message.properties?.groupId ?? null, ctx);
    case "group": {
      const messageId = message.messageId ?? generatedMessageId(record);
      if (!message.groupId) return reject(messageId, "groupId", "is required for a group call");
      const time = eventTime(message, ctx.batchSentAt, ctx.receivedAt);
      if (!time.ok) return reject(messageId, time.field, time.message);
      const patch = parseAccountValues(message.traits ?? {}, "traits.");
      if (!patch.ok) return reject(messageId, patch.field, patch.message);
      const outcome = parseOutcomeTraits(message.traits ?? {}, "traits.");
      if (!outcome.ok) return reject(messageId, outcome.field, outcome.message);
      const op: AccountOp = {
        kind: "account",
        messageId,
        groupId: message.groupId,
        patch: patch.patch,
        linkIds: linkIdsOf(message),
        at: orderingTime(time.ms, ctx.receivedAt),
        applyOnce: true,
      };
      if (outcome.fields) {
        const problem = outcomeProblem(outcome.fields, ctx.receivedAt);
        if (problem) return reject(messageId, `traits.${OUTCOME_TRAIT_NAMES[problem.field]}`, problem.message);
        op.outcome = outcome.fields;
      }
      return { ok: true, op };
    }
    case "identify": {
      const messageId = message.messageId ?? generatedMessageId(record);
      if (!message.userId && !message.anonymousId) return reject(messageId, "userId", "an identify call needs a userId or an anonymousId");
      const time = eventTime(message, ctx.batchSentAt, ctx.receivedAt);
      if (!time.ok) return reject(messageId, time.field, time.message);
      const company = message.traits?.company;
      const companyTraits = typeof company === "object" && company !== null && !Array.isArray(company) ? (company as Record<string, unknown>) : null;
      const groupId = contextGroupId ?? groupIdOf(message.traits?.groupId) ?? groupIdOf(companyTraits?.id);
      if (!groupId) return { ok: true, op: { kind: "noop", messageId, userId: message.userId ?? message.anonymousId ?? null } };
      if (groupId.length > MAX_ID_LENGTH) return reject(messageId, "context.groupId", `must be at most ${MAX_ID_LENGTH} characters`);
      if (hasUnsafeCharacters(groupId)) return reject(messageId, "context.groupId", UNSAFE_IDENTIFIER_MESSAGE);
      let patch: AccountPatch = {};
      if (companyTraits) {
        const { id: _id, ...rest } = companyTraits;
        const parsedCompany = parseAccountValues(rest, "traits.company.");
        if (!parsedCompany.ok) return reject(messageId, parsedCompany.field, parsedCompany.message);
        patch = parsedCompany.patch;
      }
      return {
        ok: true,
        op: { kind: "account", messageId, groupId, patch, linkIds: linkIdsOf(message), at: orderingTime(time.ms, ctx.receivedAt), applyOnce: true },
      };
    }
    case "alias": {
      const messageId = message.messageId ?? generatedMessageId(record);
      if (!message.userId) return reject(messageId, "userId", "is required for an alias call");
      if (!message.previousId) return reject(messageId, "previousId", "is required for an alias call");
      const time = eventTime(message, ctx.batchSentAt, ctx.receivedAt);
      if (!time.ok) return reject(messageId, time.field, time.message);
      return { ok: true, op: { kind: "alias", messageId, userId: message.userId, previousId: message.previousId, at: orderingTime(time.ms, ctx.receivedAt) } };
    }
  }
}
