import "server-only";
import type { z } from "zod";

/**
 * Every API error has one JSON shape: { success: false, error: { code, message, field? } }.
 * `field` names the request field at fault, so forms can show the message beside it.
 */
export interface ApiErrorBody {
  success: false;
  error: { code: string; message: string; field?: string };
}

export function apiError(status: number, code: string, message: string, options: { field?: string; headers?: HeadersInit } = {}): Response {
  const body: ApiErrorBody = { success: false, error: { code, message, ...(options.field ? { field: options.field } : {}) } };
  return Response.json(body, { status, headers: options.headers });
}

/** A 400 naming the first invalid field of a zod validation failure. */
export function validationError(error: z.ZodError): Response {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : "Invalid request";
  return apiError(400, "invalid_request", message, { field });
}

/** A successful JSON answer: { success: true, data }. */
export function apiData<T>(data: T, init: { status?: number; headers?: HeadersInit } = {}): Response {
  return Response.json({ success: true, data }, { status: init.status ?? 200, headers: init.headers });
}

/** The JSON body of a request, or a 400 response when it is not JSON. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, body: (await request.json()) as unknown };
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body must be JSON.") };
  }
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
