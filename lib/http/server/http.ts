import "server-only";
import type { z } from "zod";
import { log, newRequestId } from "@/lib/log";

/**
 * Every API error has one JSON shape: { success: false, error: { code, message, field? } }.
 * `field` names the request field at fault, so forms can show the message beside it.
 *
 * Every error answer carries a request id (the X-Request-Id header; for a server error also
 * `error.requestId` and the message) and is logged as one line with the same id: a warning
 * for a 4xx, an error with the cause's stack for a 5xx.
 */
export interface ApiErrorBody {
  success: false;
  error: { code: string; message: string; field?: string; requestId?: string };
}

export interface ApiErrorOptions {
  field?: string;
  headers?: HeadersInit;
  /** What went wrong underneath (logged with its stack, never sent). */
  cause?: unknown;
}

/** Under this size gzip costs the server more than it saves on the wire (the compression middleware's own threshold). */
const COMPRESS_FROM_CHARS = 1024;

/**
 * A JSON answer that Next leaves uncompressed when it is small. Next gzips every answer whose
 * length it does not know, and a route handler's body is a stream whose Content-Length it
 * drops, so the middleware's 1 KB threshold never applies: gzipping `{"success":true}` cost
 * 1.5–2.5 ms of CPU per request, more than the rest of a health check, and about a third of
 * a single-event ingestion. `Cache-Control: no-transform` is the middleware's (and any
 * proxy's) sign to leave an answer as it is; answers of 1 KB or more are still compressed.
 */
export function jsonAnswer(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const text = JSON.stringify(body);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  if (text.length < COMPRESS_FROM_CHARS) {
    const cacheControl = headers.get("cache-control");
    headers.set("cache-control", cacheControl ? `${cacheControl}, no-transform` : "no-transform");
  }
  return new Response(text, { status: init.status ?? 200, headers });
}

export function apiError(status: number, code: string, message: string, options: ApiErrorOptions = {}): Response {
  const requestId = newRequestId();
  const serverError = status >= 500;
  const text = serverError ? `${message} (reference ${requestId})` : message;
  const body: ApiErrorBody = {
    success: false,
    error: { code, message: text, ...(options.field ? { field: options.field } : {}), ...(serverError ? { requestId } : {}) },
  };
  const fields = { requestId, status, code, ...(options.field ? { field: options.field } : {}), ...(options.cause !== undefined ? { err: options.cause } : {}) };
  if (serverError) log.error(message, fields);
  else log.warn(message, fields);
  const headers = new Headers(options.headers);
  headers.set("X-Request-Id", requestId);
  return jsonAnswer(body, { status, headers });
}

function firstIssue(error: z.ZodError): { field: string | undefined; message: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : "Invalid request";
  return { field, message };
}

/** A 400 naming the first invalid field of a zod validation failure. */
export function validationError(error: z.ZodError): Response {
  const { field, message } = firstIssue(error);
  return apiError(400, "invalid_request", message, { field });
}

/** Validates a request value, or throws the 400 HttpError naming the first invalid field. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error);
  throw new HttpError(400, "invalid_request", message, field);
}

/** A successful JSON answer: { success: true, data }. */
export function apiData<T>(data: T, init: { status?: number; headers?: HeadersInit } = {}): Response {
  return jsonAnswer({ success: true, data }, init);
}

const serializedBodies = new WeakMap<object, string>();

/**
 * apiData for results that are memoised and never mutated (the team views' figures): the
 * JSON text is kept beside the object, so a warm request does not serialise it again.
 */
export function apiCachedData(data: object | null): Response {
  if (data === null) return apiData(null);
  let body = serializedBodies.get(data);
  if (body === undefined) {
    body = JSON.stringify({ success: true, data });
    serializedBodies.set(data, body);
  }
  return new Response(body, { headers: { "content-type": "application/json" } });
}

/** An error that carries its HTTP answer; route handlers turn it into a response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * Runs a handler body and turns HttpErrors into their JSON answer. Anything else is a bug:
 * it is logged with its stack and answered 500, never swallowed.
 */
export async function handleErrors(run: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError) return apiError(error.status, error.code, error.message, { field: error.field, headers: error.headers });
    return apiError(500, "internal_error", "Something went wrong on the server; it has been logged.", { cause: error });
  }
}
