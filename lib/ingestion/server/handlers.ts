import "server-only";
import type { Db } from "@/db/client";
import { DRY_RUN_PARAM, parseDryRun, type WouldStore } from "@/lib/ingestion/dry-run";
import { jsonSizeExceeds } from "@/lib/ingestion/json-size";
import { MAX_BATCH_EVENTS, MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from "@/lib/ingestion/limits";
import {
  mapNativeAccount,
  mapNativeEvent,
  mapNativeOutcome,
  nativeAccountsEnvelopeSchema,
  nativeEventsEnvelopeSchema,
  nativeOutcomesEnvelopeSchema,
} from "@/lib/ingestion/native";
import { mapSegmentMessage, segmentBatchSchema, segmentEndpoint, type MapResult } from "@/lib/ingestion/segment";
import { isShuttingDown } from "@/lib/operations/server/shutting-down";
import { recordIngestCounts, recordIngestRequest } from "@/lib/operations/server/metrics";
import { authenticateWriteKey, type AuthenticatedKey } from "./write-keys";
import { handleUsageReport } from "./browser";
import { isDatabaseBusy } from "@/db/errors";
import { CORS_HEADERS, ingestError, ingestJson, readJsonBody, writeKeyFromAuthorization, type ResponseOptions } from "./request";
import { ingestInGroup } from "./group-commit";
import { beginIngestion } from "./score-scheduler";
import { dryRunBatch, type IngestResult } from "./writer";

/**
 * The ingestion endpoints, as functions of (database, request) so that integration tests
 * drive exactly what the route handlers run. Write keys are the ONLY credential here: a
 * signed-in session never authorises ingestion.
 */

export interface IngestResponseBody {
  success: true;
  accepted: number;
  duplicates: number;
  rejected: IngestResult["rejected"];
  /** Only on dry runs (`?dryRun=true`): nothing was stored; this is what would have been. */
  dryRun?: true;
  wouldStore?: WouldStore;
}

/** A request's write key, when it was received, and whether it is a dry run. */
interface IngestContext {
  key: AuthenticatedKey;
  receivedAt: number;
  dryRun: boolean;
}

const TOO_LARGE_EVENT = `is larger than ${MAX_EVENT_BYTES / 1024} KB`;

function unauthorized(options: ResponseOptions, message = "Unknown or revoked write key."): Response {
  return ingestError(401, "invalid_write_key", message, { ...options, headers: { "WWW-Authenticate": 'Basic realm="ingestion"' } });
}

type KeyResult = { ok: true; key: AuthenticatedKey } | { ok: false; response: Response };

async function keyFromBody(db: Db, body: unknown, options: ResponseOptions): Promise<KeyResult> {
  const bodyKey = typeof body === "object" && body !== null ? (body as { writeKey?: unknown }).writeKey : undefined;
  if (typeof bodyKey !== "string" || bodyKey === "") {
    return { ok: false, response: unauthorized(options, "A write key is required: send it as Basic auth (the key as user name) or as writeKey in the body.") };
  }
  const key = await authenticateWriteKey(db, bodyKey);
  return key ? { ok: true, key } : { ok: false, response: unauthorized(options) };
}

/**
 * The shared frame: refused with 503 (retry) once the server is shutting down; counted as an
 * ingestion under way and measured (/metrics) until answered.
 */
async function withIngestion(
  db: Db,
  request: Request,
  options: ResponseOptions,
  ingest: (body: unknown, context: IngestContext) => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const endpoint = options.cors ? "segment" : "native";
  if (isShuttingDown()) {
    recordIngestRequest(endpoint, 503, 0);
    return ingestError(503, "shutting_down", "The server is shutting down; nothing was stored. Retry shortly.", {
      ...options,
      headers: { "Retry-After": "1", Connection: "close" },
    });
  }
  const dryRun = parseDryRun(new URL(request.url).searchParams.get(DRY_RUN_PARAM));
  if (!dryRun.ok) return ingestError(400, "invalid_request", dryRun.message, { ...options, field: DRY_RUN_PARAM });
  const end = beginIngestion(db);
  let status = 500;
  try {
    const response = await authenticateAndIngest(db, request, options, dryRun.dryRun, ingest);
    status = response.status;
    return response;
  } finally {
    end();
    recordIngestRequest(endpoint, status, (performance.now() - started) / 1000);
  }
}

/**
 * Header auth (before reading the body), body, body auth, then `ingest`, with a database
 * that is busy for longer than the busy timeout answered by 503.
 */
async function authenticateAndIngest(
  db: Db,
  request: Request,
  options: ResponseOptions,
  dryRun: boolean,
  ingest: (body: unknown, context: IngestContext) => Promise<Response>,
): Promise<Response> {
  const header = writeKeyFromAuthorization(request.headers.get("authorization"));
  let key: AuthenticatedKey | null = null;
  if (header.present) {
    key = header.key ? await authenticateWriteKey(db, header.key) : null;
    if (!key) return unauthorized(options);
  }
  const body = await readJsonBody(request, MAX_REQUEST_BYTES, options);
  if (!body.ok) return body.response;
  if (!key) {
    const fromBody = await keyFromBody(db, body.value, options);
    if (!fromBody.ok) return fromBody.response;
    key = fromBody.key;
  }
  const receivedAt = Date.now();
  try {
    return await ingest(body.value, { key, receivedAt, dryRun });
  } catch (error) {
    if (isDatabaseBusy(error)) {
      return ingestError(503, "database_busy", "The database is busy; nothing was stored. Retry shortly.", { ...options, headers: { "Retry-After": "1" } });
    }
    return ingestError(500, "internal_error", "The batch could not be stored; nothing was stored. Retry later.", { ...options, cause: error });
  }
}

/**
 * Stores a request's items with the next group commit; resolves once they are committed. A
 * dry run writes them alone, in a transaction of its own that is rolled back (and counts in
 * no metric: nothing was ingested).
 */
async function store(db: Db, items: MapResult[], context: IngestContext): Promise<IngestResult> {
  const options = { receivedAt: context.receivedAt, writeKeyId: context.key.id };
  if (context.dryRun) return dryRunBatch(db, items, options);
  const result = await ingestInGroup(db, items, options);
  recordIngestCounts({ accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected.length });
  return result;
}

function successBody(result: IngestResult, context: IngestContext): IngestResponseBody {
  const body: IngestResponseBody = { success: true, accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected };
  if (!context.dryRun) return body;
  return {
    ...body,
    dryRun: true,
    wouldStore: {
      events: result.eventsStored,
      waitingEvents: result.pending,
      accountsCreated: result.accountsCreated,
      accountsUpdated: result.accountsUpdated,
      eventTypesCreated: result.eventTypesCreated,
      outcomesCreated: result.outcomesCreated,
      outcomesUpdated: result.outcomesUpdated,
    },
  };
}

function tooManyEvents(count: number, options: ResponseOptions): Response {
  return ingestError(413, "too_many_events", `A request may carry at most ${MAX_BATCH_EVENTS.toLocaleString("en-US")} events; this one has ${count.toLocaleString("en-US")}.`, options);
}

const SEGMENT_OPTIONS: ResponseOptions = { cors: true };

/** POST /v1/{batch,track,identify,group,page,screen,alias} and their one-letter forms; /v1/m. */
export async function handleSegmentRequest(db: Db, request: Request, path: string): Promise<Response> {
  // analytics.js' own usage reports carry no write key and nothing for us.
  if (path === "m") return handleUsageReport();
  const endpoint = segmentEndpoint(path);
  if (!endpoint) return ingestError(404, "not_found", `There is no /v1/${path} endpoint.`, SEGMENT_OPTIONS);

  return withIngestion(db, request, SEGMENT_OPTIONS, async (body, call) => {
    const { receivedAt } = call;
    if (endpoint === "batch") {
      const envelope = segmentBatchSchema.safeParse(body);
      if (!envelope.success) {
        return ingestError(400, "invalid_request", "The body must be an object with a `batch` array of messages.", { ...SEGMENT_OPTIONS, field: "batch" });
      }
      const { batch, sentAt, context } = envelope.data;
      if (batch.length > MAX_BATCH_EVENTS) return tooManyEvents(batch.length, SEGMENT_OPTIONS);
      const ctx = { endpointType: null, batchSentAt: sentAt ?? null, batchContext: context ?? null, receivedAt };
      const items = batch.map((message): MapResult => {
        if (jsonSizeExceeds(message, MAX_EVENT_BYTES)) {
          const id = (message as { messageId?: unknown } | null)?.messageId;
          return { ok: false, messageId: typeof id === "string" ? id : null, field: "", message: TOO_LARGE_EVENT };
        }
        return mapSegmentMessage(message, ctx);
      });
      return ingestJson(successBody(await store(db, items, call), call), SEGMENT_OPTIONS);
    }

    if (jsonSizeExceeds(body, MAX_EVENT_BYTES)) {
      return ingestError(413, "event_too_large", `An event ${TOO_LARGE_EVENT}.`, SEGMENT_OPTIONS);
    }
    const item = mapSegmentMessage(body, { endpointType: endpoint, batchSentAt: null, batchContext: null, receivedAt });
    if (!item.ok) {
      return ingestError(400, "invalid_event", item.field ? `${item.field}: ${item.message}` : item.message, { ...SEGMENT_OPTIONS, field: item.field || undefined });
    }
    return ingestJson(successBody(await store(db, [item], call), call), SEGMENT_OPTIONS);
  });
}

/** The answer to a CORS preflight on /v1/*. */
export function segmentPreflight(): Response {
  return new Response(null, { status: 204, headers: CORS_HEADERS });
}

const NATIVE_OPTIONS: ResponseOptions = { cors: false };

function nativeItems(
  body: unknown,
  envelope: typeof nativeEventsEnvelopeSchema | typeof nativeAccountsEnvelopeSchema | typeof nativeOutcomesEnvelopeSchema,
  listName: "events" | "accounts" | "outcomes",
  map: (item: unknown) => MapResult,
): { ok: true; items: MapResult[] } | { ok: false; response: Response } {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      response: ingestError(400, "invalid_request", `The body must be an object with an \`${listName}\` array (and nothing else).`, { ...NATIVE_OPTIONS, field: listName }),
    };
  }
  const list = (parsed.data as Record<string, unknown[]>)[listName] ?? [];
  if (list.length > MAX_BATCH_EVENTS) return { ok: false, response: tooManyEvents(list.length, NATIVE_OPTIONS) };
  return {
    ok: true,
    items: list.map((item): MapResult => (jsonSizeExceeds(item, MAX_EVENT_BYTES) ? { ok: false, messageId: null, field: "", message: TOO_LARGE_EVENT } : map(item))),
  };
}

/** POST /api/v1/events: { events: [...] } with the native event shape (see the OpenAPI document). */
export async function handleNativeEvents(db: Db, request: Request): Promise<Response> {
  return withIngestion(db, request, NATIVE_OPTIONS, async (body, context) => {
    const parsed = nativeItems(body, nativeEventsEnvelopeSchema, "events", (item) => mapNativeEvent(item, context.receivedAt));
    if (!parsed.ok) return parsed.response;
    return ingestJson(successBody(await store(db, parsed.items, context), context), NATIVE_OPTIONS);
  });
}

/** POST /api/v1/accounts: { accounts: [...] } upserts accounts (and links their user ids). */
export async function handleNativeAccounts(db: Db, request: Request): Promise<Response> {
  return withIngestion(db, request, NATIVE_OPTIONS, async (body, context) => {
    const parsed = nativeItems(body, nativeAccountsEnvelopeSchema, "accounts", mapNativeAccount);
    if (!parsed.ok) return parsed.response;
    const result = await store(db, parsed.items, context);
    return ingestJson({ ...successBody(result, context), created: result.accountsCreated, updated: result.accountsUpdated }, NATIVE_OPTIONS);
  });
}

/**
 * POST /api/v1/outcomes: { outcomes: [...] } records renewal outcomes of existing accounts,
 * idempotently on (accountId, renewalDate): a repeat is a duplicate, different values correct it.
 */
export async function handleNativeOutcomes(db: Db, request: Request): Promise<Response> {
  return withIngestion(db, request, NATIVE_OPTIONS, async (body, context) => {
    const parsed = nativeItems(body, nativeOutcomesEnvelopeSchema, "outcomes", (item) => mapNativeOutcome(item, context.receivedAt));
    if (!parsed.ok) return parsed.response;
    const result = await store(db, parsed.items, context);
    return ingestJson({ ...successBody(result, context), created: result.outcomesCreated, updated: result.outcomesUpdated }, NATIVE_OPTIONS);
  });
}
