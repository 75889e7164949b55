import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { NO_TRUSTED_PROXIES } from "@/lib/http/forwarded";
import { createAuth, type Auth } from "@/lib/auth/server/auth";
import type { AuthConfig } from "@/lib/auth/server/auth-config";
import { createUser, updateUser } from "@/lib/auth/server/users";
import { createTestDb } from "./db";

/** better-auth as configured for the product, driven through its HTTP handler. */
const BASE = "http://localhost:3000";
const PASSWORD = "a-good-password";

let db: Db;
let cleanup: () => Promise<void>;
let auth: Auth;
let ip = 0;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  auth = createAuth(db, authConfig({}));
});
afterAll(() => cleanup());

function authConfig(overrides: Partial<AuthConfig>): AuthConfig {
  return {
    secret: "test-secret-".padEnd(40, "x"),
    baseURL: BASE,
    secureCookies: false,
    signInAttemptsPerMinute: 3,
    originPolicy: { origins: [BASE], trustRequestHost: false },
    trustedProxies: NO_TRUSTED_PROXIES,
    ...overrides,
  };
}

/** Each call comes from its own client address unless one is given. */
function post(path: string, body: unknown, options: { cookie?: string; ip?: string } = {}): Promise<Response> {
  ip++;
  const headers: Record<string, string> = { "content-type": "application/json", origin: BASE, "x-forwarded-for": options.ip ?? `198.51.100.${ip % 250}` };
  if (options.cookie) headers.cookie = options.cookie;
  return auth.handler(new Request(`${BASE}/api/auth${path}`, { method: "POST", headers, body: JSON.stringify(body) }));
}

function sessionCookie(response: Response): string {
  const header = response.headers.get("set-cookie") ?? "";
  const match = /ces\.session_token=([^;]+)/.exec(header);
  if (!match?.[1]) throw new Error(`no session cookie in ${header}`);
  return `ces.session_token=${match[1]}`;
}

async function newUser(email: string, role: "viewer" | "manager" | "admin" = "viewer") {
  return createUser(db, { actor: { id: "test", name: "Test" }, input: { name: email, email, role, accountManagerName: null, password: PASSWORD } });
}

describe("sign-in", () => {
  it("signs in with email and password into an httpOnly, SameSite session cookie", async () => {
    const user = await newUser("ann@example.com", "manager");
    const response = await post("/sign-in/email", { email: "Ann@Example.com", password: PASSWORD });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/ces\.session_token=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const session = await auth.api.getSession({ headers: new Headers({ cookie: sessionCookie(response) }) });
    expect(session?.user).toMatchObject({ id: user.id, role: "manager", email: "ann@example.com" });
  });

  it("marks the cookie Secure when configured for https", async () => {
    const secure = createAuth(db, authConfig({ baseURL: "https://ces.example.com", secureCookies: true, originPolicy: { origins: ["https://ces.example.com"], trustRequestHost: false } }));
    const response = await secure.handler(
      new Request("https://ces.example.com/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://ces.example.com", "x-forwarded-for": "203.0.113.9" },
        body: JSON.stringify({ email: "ann@example.com", password: PASSWORD }),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toMatch(/__Secure-ces\.session_token=[^;]+;.*Secure/i);
  });

  it("refuses a wrong password without saying whether the email exists", async () => {
    const wrong = await post("/sign-in/email", { email: "ann@example.com", password: "wrong-password" });
    const unknown = await post("/sign-in/email", { email: "nobody@example.com", password: "wrong-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it("offers no self sign-up", async () => {
    const response = await post("/sign-up/email", { email: "eve@example.com", password: PASSWORD, name: "Eve" });
    expect(response.status).toBe(404);
  });

  it("lets a deactivated user not in, even with the right password", async () => {
    const user = await newUser("dee@example.com");
    await updateUser(db, { actor: { id: "test", name: "Test" }, id: user.id, change: { active: false } });
    const response = await post("/sign-in/email", { email: "dee@example.com", password: PASSWORD });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "USER_DEACTIVATED" });
  });

  it("limits sign-in attempts per client address", async () => {
    await newUser("rate@example.com");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post("/sign-in/email", { email: "rate@example.com", password: "wrong-password" }, { ip: "192.0.2.1" })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another address is not affected.
    expect((await post("/sign-in/email", { email: "rate@example.com", password: PASSWORD }, { ip: "192.0.2.2" })).status).toBe(200);
  });

  it("locks an email after five failures from any addresses, until the lock ends", async () => {
    await newUser("lock@example.com");
    for (let i = 0; i < 5; i++) expect((await post("/sign-in/email", { email: "lock@example.com", password: `wrong-${i}` })).status).toBe(401);
    const locked = await post("/sign-in/email", { email: "LOCK@example.com", password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "SIGN_IN_LOCKED" });
    // The lock ends: pretend it started long ago.
    await db.run(sql`UPDATE sign_in_failures SET locked_until = ${Date.now() - 1} WHERE email = 'lock@example.com'`);
    expect((await post("/sign-in/email", { email: "lock@example.com", password: PASSWORD })).status).toBe(200);
    expect(await db.value(sql`SELECT count(*) FROM sign_in_failures WHERE email = 'lock@example.com'`)).toBe(0);
  });

  it("checks and counts a failure in one step: 8 parallel wrong guesses get at most 5 password checks", async () => {
    await newUser("burst@example.com");
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => post("/sign-in/email", { email: "burst@example.com", password: `wrong-guess-${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    // 401: the password was checked (and was wrong); 429: refused before any check.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // Locked now, for the right password too.
    expect((await post("/sign-in/email", { email: "burst@example.com", password: PASSWORD })).status).toBe(429);
  });

  it("does not count an attempt that ended without a password verdict", async () => {
    const user = await newUser("inactive@example.com");
    await updateUser(db, { actor: { id: "test", name: "Test" }, id: user.id, change: { active: false } });
    for (let i = 0; i < 6; i++) expect((await post("/sign-in/email", { email: "inactive@example.com", password: PASSWORD })).status).toBe(403);
    expect(await db.value(sql`SELECT count(*) FROM sign_in_failures WHERE email = 'inactive@example.com'`)).toBe(0);
  });

  it("a successful sign-in clears earlier failures", async () => {
    await newUser("clear@example.com");
    for (let i = 0; i < 4; i++) await post("/sign-in/email", { email: "clear@example.com", password: `wrong-${i}` });
    expect((await post("/sign-in/email", { email: "clear@example.com", password: PASSWORD })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await post("/sign-in/email", { email: "clear@example.com", password: `wrong-${i}` })).status).toBe(401);
  });
});

describe("a signed-in user", () => {
  it("changes their password and can sign out other devices", async () => {
    const user = await newUser("pat@example.com");
    const phone = sessionCookie(await post("/sign-in/email", { email: "pat@example.com", password: PASSWORD }));
    const laptop = sessionCookie(await post("/sign-in/email", { email: "pat@example.com", password: PASSWORD }));
    const wrong = await post("/change-password", { currentPassword: "not-it-at-all", newPassword: "a-new-good-password" }, { cookie: laptop });
    expect(wrong.status).toBe(400);
    const storedHashes = (userId: string) => db.all<{ password: string }>(sql`SELECT password FROM auth_accounts WHERE user_id = ${userId} AND password IS NOT NULL`);
    const hashesBefore = await storedHashes(user.id);
    const changed = await post("/change-password", { currentPassword: PASSWORD, newPassword: "a-new-good-password", revokeOtherSessions: true }, { cookie: laptop });
    expect(changed.status).toBe(200);
    expect(await auth.api.getSession({ headers: new Headers({ cookie: phone }) })).toBeNull();
    expect((await post("/sign-in/email", { email: "pat@example.com", password: PASSWORD })).status).toBe(401);
    expect((await post("/sign-in/email", { email: "pat@example.com", password: "a-new-good-password" })).status).toBe(200);
    const tooShort = await post("/change-password", { currentPassword: "a-new-good-password", newPassword: "short" }, { cookie: sessionCookie(changed) });
    expect(tooShort.status).toBe(400);
    // One stored credential for this user, its hash replaced by the change.
    expect(await storedHashes(user.id)).toHaveLength(1);
    expect(await storedHashes(user.id)).not.toEqual(hashesBefore);
  });

  it("signs out: the session is gone from the database", async () => {
    const user = await newUser("sol@example.com");
    const cookie = sessionCookie(await post("/sign-in/email", { email: "sol@example.com", password: PASSWORD }));
    const count = () => db.value<number>(sql`SELECT count(*) FROM sessions WHERE user_id = ${user.id}`);
    expect(await count()).toBe(1);
    expect((await post("/sign-out", {}, { cookie })).status).toBe(200);
    expect(await count()).toBe(0);
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
  });
});
