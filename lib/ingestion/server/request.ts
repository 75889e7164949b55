import "server-only";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { jsonNestingExceeds, jsonTooDeepMessage } from "@/lib/http/json-depth";
import { apiError, HttpError, jsonAnswer } from "@/lib/http/server/http";
import { declaredLength, readBodyBytes } from "@/lib/http/server/request-body";

const gunzipAsync = promisify(gunzip);

/**
 * Reading ingestion requests: the body is read as a stream and cut off past the limit (a
 * sender cannot make the server buffer more than the limit), gunzipped when it says so with
 * a cap on the decompressed size, and parsed as JSON whatever its Content-Type says
 * (analytics.js sends text/plain to skip the CORS preflight).
 */

/** CORS for browser SDKs on /v1/*: any origin, no cookies (write keys are not credentials a browser holds). */
export const CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding, X-Retry-Count",
  "Access-Control-Expose-Headers": "Retry-After, X-Request-Id",
  "Access-Control-Max-Age": "86400",
};

export interface ResponseOptions {
  cors: boolean;
}

export function ingestError(
  status: number,
  code: string,
  message: string,
  options: ResponseOptions & { field?: string; headers?: Record<string, string>; cause?: unknown },
): Response {
  return apiError(status, code, message, {
    field: options.field,
    cause: options.cause,
    headers: { ...(options.cors ? CORS_HEADERS : {}), ...options.headers },
  });
}

export function ingestJson(body: unknown, options: ResponseOptions): Response {
  return jsonAnswer(body, { headers: options.cors ? CORS_HEADERS : undefined });
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

function tooLarge(maxBytes: number, options: ResponseOptions): BodyResult {
  return {
    ok: false,
    response: ingestError(413, "payload_too_large", `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (after decompression).`, options),
  };
}

/** The request's JSON body, or the error response to send (400, 413 or 415). */
export async function readJsonBody(request: Request, maxBytes: number, options: ResponseOptions): Promise<BodyResult> {
  const declared = declaredLength(request);
  if (declared !== null && declared > maxBytes) return tooLarge(maxBytes, options);

  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "x-gzip") {
    return { ok: false, response: ingestError(415, "unsupported_encoding", `Content-Encoding "${encoding}" is not supported; send gzip or no encoding.`, options) };
  }

  let bytes: Buffer;
  try {
    // The dashboard's reader: a declared length over the limit, or a stream past it, is a 413.
    const read = await readBodyBytes(request, maxBytes);
    bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) return tooLarge(maxBytes, options);
    throw error;
  }
  if (encoding !== "identity") {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return tooLarge(maxBytes, options);
      return { ok: false, response: ingestError(400, "invalid_gzip", "The body says it is gzip-compressed but could not be decompressed.", options) };
    }
  }

  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, response: ingestError(400, "malformed_json", "The request body is empty; send a JSON object.", options) };
  if (jsonNestingExceeds(text)) return { ok: false, response: ingestError(400, "json_too_deep", jsonTooDeepMessage(), options) };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message}` : "";
    return { ok: false, response: ingestError(400, "malformed_json", `The request body is not valid JSON${detail}`, options) };
  }
}

/**
 * The write key an Authorization header carries: `Basic base64(key:)` (the colon may be
 * missing) or `Bearer key`. `present: false` when there is no header.
 */
export function writeKeyFromAuthorization(header: string | null): { present: false } | { present: true; key: string | null } {
  if (header === null || header.trim() === "") return { present: false };
  const match = /^\s*(\w+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { present: true, key: null };
  const [, scheme = "", credentials = ""] = match;
  if (scheme.toLowerCase() === "bearer") return { present: true, key: credentials };
  if (scheme.toLowerCase() !== "basic") return { present: true, key: null };
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return { present: true, key: (colon === -1 ? decoded : decoded.slice(0, colon)).trim() };
}

