/** An API error as the server describes it: status, code, message and the field at fault. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; field?: string };
}

/** fetch + JSON with the server's error shape turned into ApiRequestError. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { Accept: "application/json", ...(init?.body ? { "Content-Type": "application/json" } : {}), ...init?.headers },
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiRequestError(response.status, "invalid_response", `The server answered ${response.status} with something that is not JSON.`);
  }
  if (!response.ok) {
    const error = (body as ErrorBody | null)?.error;
    throw new ApiRequestError(response.status, error?.code ?? "error", error?.message ?? `Request failed (${response.status})`, error?.field);
  }
  return body as T;
}
