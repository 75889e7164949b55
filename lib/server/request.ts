import "server-only";
import { apiError } from "./http";

/** An account id from a URL segment, or null when it cannot be one ("abc", "0", "1.5"). */
export function parseAccountId(segment: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
  const id = Number(segment);
  return Number.isSafeInteger(id) ? id : null;
}

export function accountNotFound(segment: string): Response {
  return apiError(404, "not_found", `There is no account with id ${segment}.`);
}

/** The request body as JSON, or the 400 to answer when it is not JSON. */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, body: (await request.json()) as unknown };
  } catch {
    return { ok: false, response: apiError(400, "invalid_json", "The request body must be JSON.") };
  }
}
