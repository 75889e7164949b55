import "server-only";
import { apiError, HttpError } from "./http";

/** An account id from a URL segment, or null when it cannot be one ("abc", "0", "1.5"). */
export function parseAccountId(segment: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
  const id = Number(segment);
  return Number.isSafeInteger(id) ? id : null;
}

export function accountNotFound(segment: string): Response {
  return apiError(404, "not_found", `There is no account with id ${segment}.`);
}

/** The account id of a URL segment, or a 404 HttpError naming the segment. */
export function requireAccountId(segment: string): number {
  const id = parseAccountId(segment);
  if (id === null) throw new HttpError(404, "not_found", `There is no account with id ${segment}.`);
  return id;
}
