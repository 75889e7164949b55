/** The browser's calls to /api/admin/users, with the API's error shape turned into a message. */
export type ApiOutcome<T> = { ok: true; data: T } | { ok: false; status: number; message: string; field?: string };

export async function callApi<T>(method: "POST" | "PATCH", url: string, body: unknown): Promise<ApiOutcome<T>> {
  let response: Response;
  try {
    response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server. Check your connection and try again." };
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: json as T };
  if (typeof json === "object" && json !== null && "error" in json && typeof json.error === "object" && json.error !== null) {
    const error = json.error as { message?: unknown; field?: unknown };
    return {
      ok: false,
      status: response.status,
      message: typeof error.message === "string" ? error.message : `Request failed (HTTP ${response.status})`,
      field: typeof error.field === "string" ? error.field : undefined,
    };
  }
  return { ok: false, status: response.status, message: `Request failed (HTTP ${response.status})` };
}
