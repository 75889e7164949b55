import { z } from "zod";
import { nativeAccountSchema } from "./account-fields";
import { DRY_RUN_PARAM, wouldStoreSchema } from "./dry-run";
import { MAX_BATCH_EVENTS, MAX_EVENT_BYTES, MAX_REQUEST_BYTES } from "./limits";
import { nativeAccountsRequestSchema, nativeEventSchema, nativeEventsRequestSchema, nativeOutcomesRequestSchema } from "./native";
import { nativeOutcomeSchema } from "./outcome-fields";
import { segmentBatchSchema, segmentMessageSchema } from "./segment";
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, scoreAnswerSchema, scoreRecordSchema, scoresPageSchema } from "../read-api/scores";

/**
 * The OpenAPI 3.1 document of the ingestion APIs, generated from the very zod schemas that
 * validate the requests, so the two cannot drift apart.
 */
const rejectedItem = z
  .object({
    index: z.number().int().meta({ description: "Position of the item in the request's list." }),
    messageId: z.string().nullable(),
    field: z.string().meta({ description: "The field at fault (empty when the whole item is)." }),
    message: z.string(),
  })
  .meta({ id: "RejectedItem" });

const ingestResult = z
  .object({
    success: z.literal(true),
    accepted: z.number().int().meta({ description: "Items stored (or applied) by this request; on a dry run, items that would be." }),
    duplicates: z.number().int().meta({ description: "Events already stored under the same messageId: acknowledged, not counted again." }),
    rejected: z.array(rejectedItem).meta({ description: "Invalid items, not stored; the others are." }),
    dryRun: z.literal(true).optional().meta({ description: `Present (true) only on a dry run (?${DRY_RUN_PARAM}=true): nothing was stored.` }),
    wouldStore: wouldStoreSchema.optional(),
  })
  .meta({ id: "IngestResult" });

const accountsResult = ingestResult
  .extend({ created: z.number().int(), updated: z.number().int() })
  .meta({ id: "AccountsResult" });

const outcomesResult = ingestResult
  .extend({
    accepted: z.number().int().meta({ description: "Outcomes recorded for the first time or corrected by this request." }),
    duplicates: z.number().int().meta({ description: "Outcomes already recorded with the same values: acknowledged, stored once." }),
    created: z.number().int().meta({ description: "Outcomes recorded for the first time." }),
    updated: z.number().int().meta({ description: "Outcomes of a known renewal whose values changed (corrections)." }),
  })
  .meta({ id: "OutcomesResult" });

const errorBody = z
  .object({
    success: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  })
  .meta({ id: "Error" });

const SCHEMAS = {
  Event: nativeEventSchema,
  Account: nativeAccountSchema,
  EventsRequest: nativeEventsRequestSchema,
  AccountsRequest: nativeAccountsRequestSchema,
  Outcome: nativeOutcomeSchema,
  OutcomesRequest: nativeOutcomesRequestSchema,
  SegmentMessage: segmentMessageSchema,
  SegmentBatch: segmentBatchSchema,
  RejectedItem: rejectedItem,
  WouldStore: wouldStoreSchema,
  IngestResult: ingestResult,
  AccountsResult: accountsResult,
  OutcomesResult: outcomesResult,
  ScoreRecord: scoreRecordSchema,
  ScoreAnswer: scoreAnswerSchema,
  ScoresPage: scoresPageSchema,
  Error: errorBody,
};

function componentSchemas(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: "input", uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: unknown }).$schema;
    delete (schema as { $id?: unknown }).$id;
  }
  return schemas;
}

const ref = (id: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: keyof typeof SCHEMAS) => ({ "application/json": { schema: ref(id) } });

const errors = {
  "400": { description: `Malformed JSON, a body of the wrong shape, or a ${DRY_RUN_PARAM} parameter that is not true or false.`, content: json("Error") },
  "401": { description: "Missing, unknown or revoked write key.", content: json("Error") },
  "413": {
    description: `Body over ${MAX_REQUEST_BYTES / 1024 / 1024} MB (after decompression) or over ${MAX_BATCH_EVENTS} items.`,
    content: json("Error"),
  },
  "503": { description: "The database is busy; nothing was stored. Retry after the Retry-After header's seconds.", content: json("Error") },
};

const dryRunParameter = {
  name: DRY_RUN_PARAM,
  in: "query",
  required: false,
  schema: { type: "boolean", default: false },
  description:
    "Dry run: check the write key and every item exactly as a real call would, answer what would be stored (accepted, duplicates, rejected, and `wouldStore`), and store nothing. Use it to try a key or a payload against a live installation without adding test data.",
};

function batchOperation(summary: string, description: string, request: keyof typeof SCHEMAS, result: keyof typeof SCHEMAS) {
  return {
    post: {
      summary,
      description,
      security: [{ writeKeyBasic: [] }, { writeKeyBearer: [] }],
      parameters: [dryRunParameter],
      requestBody: { required: true, content: json(request) },
      responses: { "200": { description: "Stored, in one transaction; invalid items are listed in `rejected`.", content: json(result) }, ...errors },
    },
  };
}

const readErrors = {
  "401": { description: "Missing, unknown or revoked read API token (write keys and sessions are not accepted).", content: json("Error") },
  "403": { description: "The token lacks the scores:read scope.", content: json("Error") },
};

function readOperation(summary: string, description: string, parameters: unknown[], result: keyof typeof SCHEMAS, extra: Record<string, unknown> = {}) {
  return {
    get: {
      summary,
      description,
      security: [{ readToken: [] }],
      parameters,
      responses: { "200": { description: "OK", content: json(result) }, ...readErrors, ...extra },
    },
  };
}

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const limits = `Limits: ${MAX_EVENT_BYTES / 1024} KB per item, ${MAX_REQUEST_BYTES / 1024 / 1024} MB per request (gzip accepted with Content-Encoding: gzip), ${MAX_BATCH_EVENTS.toLocaleString("en-US")} items per request.`;
  return {
    openapi: "3.1.0",
    info: {
      title: "Customer Engagement Score — ingestion and read API",
      version: "1.1.0",
      description: `Send product-usage events, account data and renewal outcomes. Authenticate with a write key (Admin → Write keys) as HTTP Basic user name or Bearer token. ${limits} Every event is idempotent on its messageId. Add ?${DRY_RUN_PARAM}=true to any call to test it: the key and the items are checked and the answer says what would be stored, but nothing is. Read current scores (for a CRM sync or a spreadsheet) with a read API token (Admin → API tokens) as Bearer token.`,
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        writeKeyBasic: { type: "http", scheme: "basic", description: "The write key as user name, empty password." },
        writeKeyBearer: { type: "http", scheme: "bearer", description: "The write key as bearer token." },
        readToken: { type: "http", scheme: "bearer", description: "A read API token (cesr_…) with the scores:read scope." },
      },
      schemas: componentSchemas(),
    },
    paths: {
      "/api/v1/events": batchOperation(
        "Store events",
        "Each event is attributed to its accountId, or to the account its userId is linked to (it waits, stored, until a link arrives). Unknown event names are registered with weight 0.",
        "EventsRequest",
        "IngestResult",
      ),
      "/api/v1/accounts": batchOperation(
        "Create or update accounts",
        "Upserts accounts by id: fields that are absent stay as they are, null clears them. userIds link product users to the account.",
        "AccountsRequest",
        "AccountsResult",
      ),
      "/api/v1/outcomes": batchOperation(
        "Record renewal outcomes",
        "What happened at each renewal of an existing account: renewed, expanded, contracted or churned, with the ARR before and after. An outcome is identified by accountId and renewalDate: sending it again is stored once, different values for the same renewal correct it. Recording an outcome does not change the account's stage, ARR or next renewal date; send those to /api/v1/accounts. Outcomes feed the validation page (Insights), which checks how well the score predicted them.",
        "OutcomesRequest",
        "OutcomesResult",
      ),
      "/v1/batch": batchOperation(
        "Segment-compatible batch",
        "The Segment HTTP Tracking API: point a Segment SDK's host at this server. /v1/track, /v1/identify, /v1/group, /v1/page, /v1/screen, /v1/alias (and /v1/t, /v1/i, /v1/g, /v1/p, /v1/s, /v1/a, /v1/b) take one message each. The write key may also be sent as `writeKey` in the body. A repeated messageId is a duplicate for every call type; identify and group traits are applied by the message's own time, field by field (an older message never overwrites a newer value). POST /v1/m (analytics.js' usage reports) is answered 204 and discarded.",
        "SegmentBatch",
        "IngestResult",
      ),
      "/v1/projects/{writeKey}/settings": {
        get: {
          summary: "analytics.js settings",
          description:
            "What Segment's browser library (@segment/analytics-next) fetches from its cdnURL when it loads: its Segment.io integration points at this server (as the browser reached it, proxy headers honoured), no other destination is loaded and the library's usage reports are off. For an active write key only; CORS for any origin.",
          parameters: [{ name: "writeKey", in: "path", required: true, schema: { type: "string" }, description: "An active write key." }],
          responses: {
            "200": { description: "The settings document (the library's CDNSettings).", content: { "application/json": { schema: { type: "object" } } } },
            "401": { description: "Unknown or revoked write key.", content: json("Error") },
          },
        },
      },
      "/api/v1/accounts/{id}/score": readOperation(
        "One account's current score",
        "The account's score, band, change against the comparison day and declining flag, by your id of the account.",
        [{ name: "id", in: "path", required: true, description: "Your id of the account (the accountId / groupId you send events with).", schema: { type: "string" } }],
        "ScoreAnswer",
        { "404": { description: "No scored account with this id.", content: json("Error") } },
      ),
      "/api/v1/scores": readOperation(
        "Scores that changed",
        "Accounts whose score or band changed at or after changedSince (every scored account without it), oldest change first, in pages: follow nextCursor until it is null, then keep syncedUntil for the next sync's changedSince. The same records go out daily to webhook endpoints subscribed to scores.changed.",
        [
          { name: "changedSince", in: "query", required: false, description: "ISO-8601 date-time with a time zone.", schema: { type: "string", format: "date-time" } },
          { name: "cursor", in: "query", required: false, description: "nextCursor of the previous page (send it alone, or with the same changedSince).", schema: { type: "string" } },
          { name: "limit", in: "query", required: false, description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`, schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE } },
        ],
        "ScoresPage",
        { "400": { description: "A query parameter is invalid (named in error.field).", content: json("Error") } },
      ),
    },
  };
}
