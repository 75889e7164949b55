/**
 * Calling our own JSON APIs from the browser: a non-2xx answer becomes an ApiRequestError
 * carrying the error shape's code, message and field, so forms can show it where it belongs.
 */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export async function apiFetch<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiRequestError("Could not reach the server. Check your connection and try again.", 0, "network_error");
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiRequestError(error?.message ?? `The server answered ${response.status}.`, response.status, error?.code ?? "http_error", error?.field, body);
  }
  return body as T;
}

export function postJson<T>(url: string, body?: unknown): Promise<T> {
  return apiFetch<T>(url, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
}
