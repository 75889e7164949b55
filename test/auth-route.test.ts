import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { NO_TRUSTED_PROXIES } from "@/lib/http/forwarded";
import type { OriginPolicy } from "@/lib/auth/origin-policy";
import { createAuth, type Auth } from "@/lib/auth/server/auth";
import { handleAuthRequest } from "@/lib/auth/server/auth-route";
import { createUser } from "@/lib/auth/server/users";
import { createTestDb } from "./db";

/**
 * The frame around better-auth's endpoints (lib/auth/server/auth-route.ts) as a production
 * installation configures it: AUTH_URL https://ces.example.com, one further trusted origin.
 */
const BASE = "https://ces.example.com";
const policy: OriginPolicy = { origins: [BASE, "http://10.0.0.5:3000"], trustRequestHost: false };
const PASSWORD = "a-good-password";

let db: Db;
let cleanup: () => Promise<void>;
let auth: Auth;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  auth = createAuth(db, { secret: "x".repeat(40), baseURL: BASE, secureCookies: true, signInAttemptsPerMinute: 3, originPolicy: policy, trustedProxies: NO_TRUSTED_PROXIES });
  await createUser(db, { actor: { id: "t", name: "T" }, input: { name: "Ann", email: "ann@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } });
});
afterAll(() => cleanup());

function call(path: string, init: { method?: string; origin?: string; body?: BodyInit; headers?: Record<string, string>; clientAddress?: string | null; cookie?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.origin) headers.origin = init.origin;
  if (init.cookie) headers.cookie = init.cookie;
  const request = new Request(`${BASE}/api/auth${path}`, { method: init.method ?? "POST", headers, body: init.body, duplex: "half" } as RequestInit);
  return handleAuthRequest(auth, request, { policy, host: "ces.example.com", clientAddress: init.clientAddress === undefined ? "198.51.100.1" : init.clientAddress });
}

const credentials = JSON.stringify({ email: "ann@example.com", password: PASSWORD });

describe("the sign-in endpoints in production", () => {
  it("sign in from a stated origin, and hand page scripts no session token", async () => {
    const response = await call("/sign-in/email", { origin: "http://10.0.0.5:3000", body: credentials });
    expect(response.status).toBe(200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Secure-ces.session_token="));
    expect(cookie).toMatch(/HttpOnly/i);
    const token = decodeURIComponent(cookie?.split(";")[0]?.split("=")[1] ?? "").split(".")[0] ?? "";
    const body = await response.text();
    expect(body).not.toContain(token);
    expect(JSON.parse(body)).not.toHaveProperty("token");

    const sessionCookie = cookie?.split(";")[0] ?? "";
    for (const path of ["/get-session", "/list-sessions"]) {
      const answer = await call(path, { method: "GET", cookie: sessionCookie });
      expect(answer.status).toBe(200);
      const text = await answer.text();
      // A real answer (the session, with its user or its id)…
      expect(text).toMatch(path === "/get-session" ? /"email":"ann@example.com"/ : /"userId":"/);
      // …without the token.
      expect(text).not.toContain(token);
      expect(text).not.toMatch(/"token"/);
    }
  });

  it("refuse any other origin with a message naming the address to use", async () => {
    const response = await call("/sign-in/email", { origin: "http://127.0.0.1:3000", body: credentials });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      success: false,
      error: {
        code: "cross_origin",
        message:
          "This server accepts requests from https://ces.example.com, http://10.0.0.5:3000 only, and this one came from http://127.0.0.1:3000. " +
          "Open the app at https://ces.example.com, or ask your administrator to add http://127.0.0.1:3000 to AUTH_TRUSTED_ORIGINS.",
      },
    });
  });

  it("refuse a body over 16 KB before reading it, a body that is not JSON, and deep JSON", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const tooLarge = await call("/sign-in/email", { origin: BASE, body: endless });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ success: false, error: { code: "payload_too_large" } });
    expect(pulled).toBeLessThan(5);
    const form = await call("/sign-in/email", { origin: BASE, body: "email=ann%40example.com&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    const deep = await call("/sign-in/email", { origin: BASE, body: "[".repeat(5000) + "]".repeat(5000) });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toMatchObject({ error: { code: "json_too_deep" } });
  });

  it("count sign-in attempts by the address the edge resolved, whatever X-Forwarded-For the client wrote", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await call("/sign-in/email", {
        origin: BASE,
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: "not-the-password" }),
        headers: { "x-forwarded-for": `203.0.113.${i + 1}` },
        clientAddress: "198.51.100.77",
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});
