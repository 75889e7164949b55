import "server-only";
import type { Db } from "@/db/client";
import { decodeCursor, scoresQuerySchema } from "../scores";
import { firstCursor, scoreOfAccount, scoresChangedSince } from "./scores";
import { authenticateApiToken, bearerToken, type ApiScope, type AuthenticatedToken } from "./tokens";

/**
 * The read API's endpoints as functions of (database, request), so tests drive exactly what the
 * route handlers run. A read token is the ONLY credential: no session cookie, no write key.
 */
const NO_STORE = { "Cache-Control": "no-store" };

function error(status: number, code: string, message: string, field?: string, headers: Record<string, string> = {}): Response {
  return Response.json({ success: false, error: { code, message, ...(field ? { field } : {}) } }, { status, headers: { ...NO_STORE, ...headers } });
}

type Authorised = { ok: true; token: AuthenticatedToken } | { ok: false; response: Response };

async function authorise(db: Db, request: Request, scope: ApiScope): Promise<Authorised> {
  const presented = bearerToken(request.headers.get("authorization"));
  const challenge = { "WWW-Authenticate": 'Bearer realm="read API"' };
  if (!presented) return { ok: false, response: error(401, "unauthenticated", "Send a read API token as Authorization: Bearer cesr_… (Admin → API tokens).", undefined, challenge) };
  const token = await authenticateApiToken(db, presented);
  if (!token) return { ok: false, response: error(401, "invalid_token", "Unknown or revoked API token.", undefined, challenge) };
  if (!token.scopes.includes(scope)) return { ok: false, response: error(403, "insufficient_scope", `This token lacks the ${scope} scope.`) };
  return { ok: true, token };
}

/**
 * GET /api/v1/accounts/{id}/score — `id` is your id of the account. The path segment is read
 * only after the token is checked (like every route: credentials first).
 */
export async function handleAccountScore(db: Db, request: Request, id: Promise<string> | string): Promise<Response> {
  const auth = await authorise(db, request, "scores:read");
  if (!auth.ok) return auth.response;
  const externalId = await id;
  const record = await scoreOfAccount(db, { externalId });
  if (!record) return error(404, "not_found", `There is no scored account with id ${externalId}.`, "id");
  return Response.json({ success: true, data: record }, { headers: NO_STORE });
}

/** GET /api/v1/scores?changedSince=…&cursor=…&limit=… — accounts whose score changed, oldest change first. */
export async function handleScores(db: Db, request: Request): Promise<Response> {
  const auth = await authorise(db, request, "scores:read");
  if (!auth.ok) return auth.response;
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = scoresQuerySchema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || undefined;
    return error(400, "invalid_request", field ? `${field}: ${issue?.message ?? "is invalid"}` : (issue?.message ?? "Invalid request"), field);
  }
  const { changedSince, cursor: cursorText, limit } = parsed.data;
  let cursor = firstCursor(changedSince ? Date.parse(changedSince) : 0, Date.now());
  if (cursorText !== undefined) {
    const decoded = decodeCursor(cursorText);
    if (!decoded) return error(400, "invalid_request", "cursor: is not a cursor this API issued; start again without it.", "cursor");
    if (changedSince !== undefined && Date.parse(changedSince) !== decoded.since) {
      return error(400, "invalid_request", "cursor: belongs to another changedSince; send the cursor alone.", "cursor");
    }
    cursor = decoded;
  }
  const page = await scoresChangedSince(db, { cursor, limit });
  return Response.json({ success: true, ...page }, { headers: NO_STORE });
}
