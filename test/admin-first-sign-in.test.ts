import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import type { Db } from "@/db/client";
import { createPool, PostgresDb } from "@/db/postgres-client";
import { SqliteDb, sqliteConnectionOf } from "@/db/sqlite-client";
import { NO_TRUSTED_PROXIES } from "@/lib/http/forwarded";
import { createAuth, type Auth } from "@/lib/auth/server/auth";
import type { AuthConfig } from "@/lib/auth/server/auth-config";
import { getScoringAdminView } from "@/lib/scoring/server/scoring-admin";
import { listConfigVersions, loadConfigInForce, saveConfigVersion } from "@/lib/scoring/server/scoring-config";
import { createFirstAdmin } from "@/lib/auth/server/users";
import { createTestDb } from "./db";

/**
 * A new installation administered end to end on the database of this test run — the point of
 * issue 15 on PostgreSQL: the first administrator is created, signs in through better-auth's
 * handler, gets a session, is rate-limited after the configured attempts, and saves weights.
 * Then two "servers" (two auth instances, each on its own connection to the one database)
 * share sessions and sign-in limits, as several app servers behind a load balancer do.
 */
const BASE = "http://localhost:3000";
const PASSWORD = "a-long-admin-password";
const ATTEMPTS_PER_MINUTE = 3;

let db: Db;
let other: Db;
let cleanup: () => Promise<void>;
let serverA: Auth;
let serverB: Auth;

const config: AuthConfig = {
  secret: "test-secret-".padEnd(40, "x"),
  baseURL: BASE,
  secureCookies: false,
  signInAttemptsPerMinute: ATTEMPTS_PER_MINUTE,
  originPolicy: { origins: [BASE], trustRequestHost: false },
  trustedProxies: NO_TRUSTED_PROXIES,
};

/** A second connection to the same database, as another app server would hold. */
function secondConnection(db: Db): Db {
  if (db instanceof PostgresDb) return new PostgresDb(createPool(db.url, { max: 2 }), db.url);
  const sqlite = sqliteConnectionOf(db);
  if (!sqlite) throw new Error("unexpected database handle");
  const database = openDatabase(sqlite.name);
  return new SqliteDb(database.sqlite, database.file);
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  other = secondConnection(db);
  serverA = createAuth(db, config);
  serverB = createAuth(other, config);
  await db.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 0)`);
});
afterAll(async () => {
  await other.close();
  await cleanup();
});

function signIn(auth: Auth, email: string, password: string, ip: string): Promise<Response> {
  return auth.handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
  );
}

function sessionCookie(response: Response): string {
  const match = /ces\.session_token=([^;]+)/.exec(response.headers.get("set-cookie") ?? "");
  if (!match?.[1]) throw new Error("no session cookie");
  return `ces.session_token=${match[1]}`;
}

describe("a new installation, administered", () => {
  it("creates the first admin, who signs in, is limited after the configured attempts, and saves weights", async () => {
    const admin = await createFirstAdmin(db, { input: { name: "Ada Admin", email: "ada@example.com", password: PASSWORD } });

    const signedIn = await signIn(serverA, "Ada@Example.com", PASSWORD, "198.51.100.7");
    expect(signedIn.status).toBe(200);
    const cookie = sessionCookie(signedIn);
    const session = await serverA.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ id: admin.id, email: "ada@example.com", role: "admin" });
    expect(await db.value(sql`SELECT count(*) FROM sessions WHERE user_id = ${admin.id}`)).toBe(1);

    // One client address: the configured attempts per minute, then 429 (better-auth's database rate-limit storage).
    const statuses: number[] = [];
    for (let i = 0; i <= ATTEMPTS_PER_MINUTE; i++) statuses.push((await signIn(serverA, "ada@example.com", `wrong-${i}`, "192.0.2.50")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(await db.value(sql`SELECT count(*) FROM rate_limits`)).toBeGreaterThan(0);

    // The admin saves weights; the version waits for the recompute.
    const { version: _v, ...inForce } = await loadConfigInForce(db);
    const weighted = { ...inForce, types: { report_created: { weightHundredths: 250, active: true } } };
    const versionId = await saveConfigVersion(db, { id: session?.user.id ?? "", name: session?.user.name ?? "" }, weighted, "First weights");
    expect((await listConfigVersions(db))[0]).toMatchObject({ id: versionId, createdBy: "Ada Admin", reason: "First weights", status: "pending" });
    expect((await getScoringAdminView(db)).pendingVersion).toBe(versionId);
  });
});

describe("several servers on one database", () => {
  it("a session made on one server is valid on the other, and signing out on the other ends it", async () => {
    const cookie = sessionCookie(await signIn(serverA, "ada@example.com", PASSWORD, "198.51.100.8"));
    expect((await serverB.api.getSession({ headers: new Headers({ cookie }) }))?.user.email).toBe("ada@example.com");
    const out = await serverB.handler(new Request(`${BASE}/api/auth/sign-out`, { method: "POST", headers: { origin: BASE, cookie, "content-type": "application/json" }, body: "{}" }));
    expect(out.status).toBe(200);
    expect(await serverA.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
  });

  it("counts one address's sign-in attempts across the servers", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= ATTEMPTS_PER_MINUTE; i++) statuses.push((await signIn(i % 2 === 0 ? serverA : serverB, "nobody@example.com", "wrong", "192.0.2.77")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it("locks an email after five failures spread over the servers and addresses", async () => {
    const guesses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signIn(i % 2 === 0 ? serverA : serverB, "ada@example.com", `guess-${i}`, `203.0.113.${i + 1}`)),
    );
    expect(guesses.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await signIn(serverB, "ada@example.com", PASSWORD, "203.0.113.99")).status).toBe(429);
  });
});
