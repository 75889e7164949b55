/**
 * The browser's calls to the sign-in endpoints (better-auth under /api/auth). Sign-in goes
 * over HTTP, not a server action, so better-auth's per-IP rate limit applies to it.
 */
export type AuthResult = { ok: true } | { ok: false; status: number; message: string; code?: string };

async function post(path: string, body: unknown): Promise<AuthResult> {
  let response: Response;
  try {
    response = await fetch(`/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, message: "Could not reach the server. Check your connection and try again." };
  }
  if (response.ok) return { ok: true };
  const data: unknown = await response.json().catch(() => null);
  // better-auth answers { code, message }; our frame around it (limits, origins) { success: false, error: { code, message } }.
  const error = typeof data === "object" && data !== null && "error" in data && typeof data.error === "object" && data.error !== null ? data.error : data;
  const message =
    typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : null;
  const code = typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (response.status === 429 && code !== "SIGN_IN_LOCKED") {
    const retry = Number(response.headers.get("x-retry-after"));
    const wait = Number.isFinite(retry) && retry > 0 ? ` Try again in ${retry} seconds.` : " Try again in a minute.";
    return { ok: false, status: 429, code, message: `Too many attempts.${wait}` };
  }
  if (response.status === 401 && code === "INVALID_EMAIL_OR_PASSWORD") {
    return { ok: false, status: 401, code, message: "That email and password do not match. Check them and try again." };
  }
  return { ok: false, status: response.status, code, message: message ?? `Something went wrong (HTTP ${response.status}). Try again.` };
}

export function signIn(email: string, password: string): Promise<AuthResult> {
  return post("/sign-in/email", { email, password, rememberMe: true });
}

export function signOut(): Promise<AuthResult> {
  return post("/sign-out", {});
}

export function changePassword(currentPassword: string, newPassword: string, revokeOtherSessions: boolean): Promise<AuthResult> {
  return post("/change-password", { currentPassword, newPassword, revokeOtherSessions });
}

/**
 * A full page load, on purpose: after signing in or out the root layout must render again
 * (it picks the app frame or the sign-in frame, and the navigation for the user's role),
 * and the client router cache must not keep pages of the previous user.
 */
export function reloadAt(path: string): void {
  window.location.assign(path);
}
