/** Errors the APIs answer with ({ success: false, error: { code, message, field? } }). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ApiBody {
  success?: boolean;
  data?: unknown;
  error?: { code?: string; message?: string; field?: string };
}

/** Fetches one of our JSON APIs and returns its `data`, or throws an ApiError. */
export async function apiFetch<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
  });
  let body: ApiBody | null = null;
  try {
    body = (await response.json()) as ApiBody;
  } catch {
    body = null;
  }
  if (!response.ok || !body || body.success !== true) {
    const message = body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`;
    throw new ApiError(message, response.status, body?.error?.code ?? "http_error", body?.error?.field);
  }
  return body.data as T;
}
