/**
 * Calls our own JSON API from the browser. Errors arrive as { success: false, error:
 * { code, message, field? } } (lib/server/http.ts) and are thrown as ApiRequestError, so a
 * form can show the message next to the field it names.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; field?: unknown };
}

async function failure(response: Response): Promise<ApiRequestError> {
  let body: ErrorBody | null = null;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const e = body?.error;
  const message = typeof e?.message === "string" ? e.message : `The server answered ${response.status} ${response.statusText}.`;
  return new ApiRequestError(message, response.status, typeof e?.code === "string" ? e.code : "http_error", typeof e?.field === "string" ? e.field : undefined);
}

export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { Accept: "application/json", ...init.headers } });
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

/** Sends JSON with a method other than GET and returns the JSON answer (or null for 204). */
export async function sendJson<T>(url: string, method: "POST" | "PUT" | "DELETE", body?: unknown): Promise<T | null> {
  const response = await fetch(url, {
    method,
    headers: { Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  return (await response.json()) as T;
}
