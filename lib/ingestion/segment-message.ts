import { z } from "zod";
import { hasUnsafeCharacters, safeIdentifier } from "../text-safety";
import { MAX_ID_LENGTH } from "./limits";

/** The Segment HTTP Tracking API calls, and the short forms analytics.js uses. */
export const SEGMENT_CALL_TYPES = ["track", "identify", "group", "page", "screen", "alias"] as const;
export type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number];

/** A user, group or message id: a non-empty string (numbers are taken as their text). */
const idValue = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`).pipe(safeIdentifier))
  .transform((v) => (v === "" ? null : v))
  .nullish()
  .meta({ description: "A string id (numbers are accepted and read as text)." });

const timeValue = z.string().nullish().meta({ description: "ISO-8601 date-time.", format: "date-time" });

const withGroupId = z.looseObject({ groupId: idValue }).nullish();

/** One Segment message: only the fields this product reads are checked; others pass. */
export const segmentMessageSchema = z
  .looseObject({
    type: z.enum(SEGMENT_CALL_TYPES).optional().meta({ description: "Required inside a batch; implied by the endpoint otherwise." }),
    messageId: idValue.meta({ description: "Idempotency key; generated from the content when missing." }),
    userId: idValue,
    anonymousId: idValue,
    groupId: idValue,
    previousId: idValue,
    event: z.string().nullish().meta({ description: "track: the event name, e.g. \"Report Created\"." }),
    name: z.string().nullish().meta({ description: "page/screen: the page or screen name." }),
    timestamp: timeValue,
    originalTimestamp: timeValue,
    sentAt: timeValue,
    context: withGroupId.meta({ description: "context.groupId attributes a track call to an account." }),
    properties: withGroupId,
    traits: z.record(z.string(), z.unknown()).nullish(),
    writeKey: z.string().optional(),
  })
  .meta({ id: "SegmentMessage" });

export type SegmentMessage = z.infer<typeof segmentMessageSchema>;

export type SegmentMessageParse = { success: true; data: SegmentMessage } | { success: false; error: z.ZodError };

/**
 * A message checked by segmentMessageSchema. Most messages (every track call an SDK sends) hold
 * each field the schema reads already in the form the schema would give back: ids as trimmed,
 * non-empty, safe strings, times and names as strings, context and properties as plain
 * objects. Those are read field by field here, which costs a tenth of the schema's walk
 * (ingestion's largest cost per event after JSON.parse, issue 19); anything else (a number
 * as an id, an id to trim, traits, a wrong type) goes through the schema, so every message
 * is accepted or refused exactly as the schema does, with its error.
 */
export function parseSegmentMessage(raw: unknown): SegmentMessageParse {
  const data = canonicalSegmentMessage(raw);
  return data ? { success: true, data } : segmentMessageSchema.safeParse(raw);
}

const NOT_CANONICAL = Symbol("not in the schema's output form");
type Maybe<T> = T | typeof NOT_CANONICAL;

const CALL_TYPES: ReadonlySet<unknown> = new Set(SEGMENT_CALL_TYPES);

function isCallType(value: unknown): value is SegmentCallType {
  return CALL_TYPES.has(value);
}

/** An id the schema returns unchanged (its transforms only trim, read numbers and turn "" into null). */
function canonicalId(value: unknown): Maybe<string | null | undefined> {
  if (value === undefined || value === null) return value;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ID_LENGTH || value.trim() !== value || hasUnsafeCharacters(value)) return NOT_CANONICAL;
  return value;
}

function nullishText(value: unknown): Maybe<string | null | undefined> {
  return value === undefined || value === null || typeof value === "string" ? value : NOT_CANONICAL;
}

/** An object with prototype Object (as JSON.parse makes), without an own __proto__ key the schema's copy would treat differently. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !Object.prototype.hasOwnProperty.call(value, "__proto__");
}

/** context / properties, read for their groupId only: the object itself when its groupId is canonical (nothing to copy). */
function withCanonicalGroupId(value: unknown): Maybe<{ [key: string]: unknown; groupId?: string | null } | null | undefined> {
  if (value === undefined || value === null) return value;
  if (!isPlainRecord(value) || canonicalId(value.groupId) === NOT_CANONICAL) return NOT_CANONICAL;
  return value;
}

/**
 * The fields the schema checks, as it would return them, when each is already in that form;
 * null otherwise (ask the schema). The fields it lets pass are not copied: nothing reads them
 * from the parsed message (a generated message id hashes the raw one).
 */
export function canonicalSegmentMessage(raw: unknown): SegmentMessage | null {
  if (!isPlainRecord(raw)) return null;
  const type = raw.type;
  if (type !== undefined && !isCallType(type)) return null;
  // Traits are records the schema copies key by key: left to it (track calls carry none).
  if (raw.traits !== undefined && raw.traits !== null) return null;
  if (raw.writeKey !== undefined && typeof raw.writeKey !== "string") return null;
  const messageId = canonicalId(raw.messageId);
  const userId = canonicalId(raw.userId);
  const anonymousId = canonicalId(raw.anonymousId);
  const groupId = canonicalId(raw.groupId);
  const previousId = canonicalId(raw.previousId);
  const event = nullishText(raw.event);
  const name = nullishText(raw.name);
  const timestamp = nullishText(raw.timestamp);
  const originalTimestamp = nullishText(raw.originalTimestamp);
  const sentAt = nullishText(raw.sentAt);
  const context = withCanonicalGroupId(raw.context);
  const properties = withCanonicalGroupId(raw.properties);
  if (
    messageId === NOT_CANONICAL ||
    userId === NOT_CANONICAL ||
    anonymousId === NOT_CANONICAL ||
    groupId === NOT_CANONICAL ||
    previousId === NOT_CANONICAL ||
    event === NOT_CANONICAL ||
    name === NOT_CANONICAL ||
    timestamp === NOT_CANONICAL ||
    originalTimestamp === NOT_CANONICAL ||
    sentAt === NOT_CANONICAL ||
    context === NOT_CANONICAL ||
    properties === NOT_CANONICAL
  ) {
    return null;
  }
  return { type, messageId, userId, anonymousId, groupId, previousId, event, name, timestamp, originalTimestamp, sentAt, context, properties, traits: raw.traits };
}
