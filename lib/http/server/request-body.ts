import "server-only";
import { jsonNestingExceeds, jsonTooDeepMessage } from "../json-depth";
import { HttpError } from "./http";

/**
 * Every request body is read against a limit, never whole: a Content-Length above it is
 * refused before a byte is read, and a body without one (chunked) is cut off as soon as it
 * passes the limit. The limits (README, "Limits"):
 */
export const BODY_LIMITS = {
  /** Sign-in, sign-out, password changes and the first-run setup: a few short fields. */
  authForm: 16 * 1024,
  /** The dashboard's JSON commands (notes, contacts, users, keys, markers, …). */
  command: 64 * 1024,
  /** A scoring configuration (saved or previewed): every event type's weight. */
  scoringConfig: 1024 * 1024,
  /** Tagging a list of accounts by external id (up to 50,000 of them). */
  accountList: 4 * 1024 * 1024,
} as const;

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function tooLargeError(maxBytes: number): HttpError {
  return new HttpError(413, "payload_too_large", `The request body is larger than ${formatBytes(maxBytes)}, the limit for this request.`);
}

/** The declared Content-Length when there is a valid one. */
export function declaredLength(request: Request): number | null {
  const header = request.headers.get("content-length");
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/** Throws the 413 when the request says it is larger than `maxBytes` (nothing read yet). */
export function assertDeclaredLength(request: Request, maxBytes: number): void {
  const declared = declaredLength(request);
  if (declared !== null && declared > maxBytes) throw tooLargeError(maxBytes);
}

/** The body's bytes, at most `maxBytes` of them; a longer body is a 413 HttpError. */
export async function readBodyBytes(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  assertDeclaredLength(request, maxBytes);
  if (!request.body) return new Uint8Array(new ArrayBuffer(0));
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** For an answer given without reading the body: stop receiving it rather than let the server drain it. */
export function discardBody(request: Request): void {
  request.body?.cancel().catch(() => undefined);
}

/** application/json or any +json type, with or without parameters. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * Parses JSON text that came from a request: 400 when it is not JSON, 400 naming the limit when
 * it nests too deeply.
 */
export function parseJsonText(text: string): unknown {
  if (jsonNestingExceeds(text)) throw new HttpError(400, "json_too_deep", jsonTooDeepMessage());
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

/**
 * The request's JSON body: 415 unless it says it is JSON (a form or text/plain body is how
 * another site could post to us without asking first), 413 past `maxBytes`, 400 when it is not
 * JSON or nests too deeply.
 */
export async function readJsonBody(request: Request, maxBytes: number = BODY_LIMITS.command): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
  }
  const bytes = await readBodyBytes(request, maxBytes);
  return parseJsonText(new TextDecoder().decode(bytes));
}
