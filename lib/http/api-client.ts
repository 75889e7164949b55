/**
 * Calling our own JSON APIs from the browser, in one place. A non-2xx answer becomes an
 * ApiRequestError carrying the error shape's code, message and field, so forms can show the
 * message where it belongs; a network failure becomes one too (status 0).
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

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string };
}

/** Fetches a JSON API and returns its body as it is. */
export async function apiFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      // JSON bodies are sent as strings; FormData sets its own multipart content type.
      headers: { accept: "application/json", ...(typeof init.body === "string" ? { "content-type": "application/json" } : {}), ...init.headers },
    });
  } catch {
    throw new ApiRequestError("Could not reach the server. Check your connection and try again.", 0, "network_error");
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const error = (body as ErrorBody | null)?.error;
    throw new ApiRequestError(error?.message ?? `The server answered ${response.status}.`, response.status, error?.code ?? "http_error", error?.field, body);
  }
  return body as T;
}

/** For APIs that answer { success: true, data }: returns `data`. */
export async function apiFetchData<T>(url: string, init: RequestInit = {}): Promise<T> {
  const body = await apiFetch<{ success?: boolean; data?: unknown } | null>(url, init);
  if (!body || body.success !== true) throw new ApiRequestError("The server's answer had no data.", 200, "invalid_response", undefined, body);
  return body.data as T;
}

export function postJson<T>(url: string, body?: unknown): Promise<T> {
  return apiFetch<T>(url, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });
}

/** Sends JSON with a method other than GET; returns the JSON answer, or null for 204. */
export async function sendJson<T>(url: string, method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): Promise<T | null> {
  const answer = await apiFetch<T | undefined>(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return answer ?? null;
}

/**
 * Fetches a file from our API (e.g. a POST answering text/csv) and hands it to the browser as
 * a download, named by the answer's Content-Disposition (else `fallbackName`). Errors come as
 * ApiRequestError, like apiFetch.
 */
export async function apiDownload(url: string, init: RequestInit, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiRequestError("Could not reach the server. Check your connection and try again.", 0, "network_error");
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new ApiRequestError(body?.error?.message ?? `The server answered ${response.status}.`, response.status, body?.error?.code ?? "http_error", body?.error?.field, body);
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="([^"]+)"/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? fallbackName);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next tick: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(href), 0);
}
