import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { handleAccountScore, handleScores } from "@/lib/read-api/server/handlers";
import { createApiToken, hashToken, listApiTokens, revokeApiToken } from "@/lib/read-api/server/tokens";
import { createTestDb } from "@/test/db";
import { ADMIN, count, insertAccount, setScore } from "./helpers";

/**
 * The read API for CRMs: read tokens (hashed at rest, scoped, revocable) are its only
 * credential; GET /api/v1/accounts/{id}/score and GET /api/v1/scores?changedSince= with
 * cursor pages that list every changed account exactly once.
 */
let db: Db;
let cleanup: () => Promise<void>;
let token: string;

function get(path: string, authorization?: string): Request {
  return new Request(`http://localhost${path}`, { headers: authorization ? { authorization } : {} });
}

async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  token = (await createApiToken(db, { actor: ADMIN, label: "CRM sync", scopes: ["scores:read"] })).token;
});
afterAll(async () => cleanup());

describe("read API tokens", () => {
  it("are stored only as a hash, shown once, and listed without the token", async () => {
    expect(token).toMatch(/^cesr_[0-9A-Za-z]{40}$/);
    expect(await count(db, sql`SELECT count(*) FROM api_tokens WHERE token_hash = ${hashToken(token)}`)).toBe(1);
    expect(await count(db, sql`SELECT count(*) FROM api_tokens WHERE token_hash = ${token} OR prefix = ${token}`)).toBe(0);
    const [listed] = await listApiTokens(db);
    expect(listed).toMatchObject({ label: "CRM sync", scopes: ["scores:read"], prefix: token.slice(0, 13), revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it("are the only credential: none, a write key or a session cookie get 401; a token without the scope 403", async () => {
    expect((await handleScores(db, get("/api/v1/scores"))).status).toBe(401);
    expect((await handleScores(db, get("/api/v1/scores", "Bearer ces_0123456789012345678901234567890123456789"))).status).toBe(401);
    expect((await handleScores(db, new Request("http://localhost/api/v1/scores", { headers: { cookie: "ces.session_token=abc" } }))).status).toBe(401);
    expect((await handleScores(db, get("/api/v1/scores", `Basic ${Buffer.from(`${token}:`).toString("base64")}`))).status).toBe(401);
    const scopeless = (await createApiToken(db, { actor: ADMIN, label: "no scope", scopes: ["scores:read"] })).token;
    await db.run(sql`UPDATE api_tokens SET scopes = '[]' WHERE token_hash = ${hashToken(scopeless)}`);
    const refused = await handleScores(db, get("/api/v1/scores", `Bearer ${scopeless}`));
    expect(refused.status).toBe(403);
    expect(await body(refused)).toMatchObject({ success: false, error: { code: "insufficient_scope" } });
  });

  it("stop working the moment they are revoked", async () => {
    const { token: short, summary } = await createApiToken(db, { actor: ADMIN, label: "temporary", scopes: ["scores:read"] });
    expect((await handleScores(db, get("/api/v1/scores", `Bearer ${short}`))).status).toBe(200);
    await revokeApiToken(db, { actor: ADMIN, id: summary.id });
    expect((await handleScores(db, get("/api/v1/scores", `Bearer ${short}`))).status).toBe(401);
  });
});

describe("GET /api/v1/accounts/{id}/score", () => {
  it("answers the account's current score by your id of it", async () => {
    const id = await insertAccount(db, { externalId: "crm-acme", name: "Acme", manager: "Alice Moreau", plan: "Pro" });
    await setScore(db, id, { points: 42.5, previous: 61 });
    const response = await handleAccountScore(db, get("/api/v1/accounts/crm-acme/score", `Bearer ${token}`), "crm-acme");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { data } = (await body(response)) as { data: Record<string, unknown> };
    expect(data).toMatchObject({ accountId: "crm-acme", name: "Acme", score: 42.5, band: "medium", previousScore: 61, change: -18.5, declining: false, manager: "Alice Moreau", plan: "Pro" });
    expect(typeof data.scoreChangedAt).toBe("string");
    const missing = await handleAccountScore(db, get("/api/v1/accounts/nope/score", `Bearer ${token}`), "nope");
    expect(missing.status).toBe(404);
  });

  it("says what the score means: a new account has no previous score or change, an account not active yet says so", async () => {
    const id = await insertAccount(db, { externalId: "crm-newco", name: "Newco" });
    await setScore(db, id, { points: 0, previous: 0, activity: "not_active_yet", previousActivity: null });
    const { data } = (await body(await handleAccountScore(db, get("/api/v1/accounts/crm-newco/score", `Bearer ${token}`), "crm-newco"))) as { data: Record<string, unknown> };
    expect(data).toMatchObject({ accountId: "crm-newco", score: 0, band: "churn_risk", activity: "not_active_yet", previousScore: null, change: null, declining: false });
  });

  it("checks the token before it reads the account id", async () => {
    // A thenable that records being awaited: the handler must not await the id for an unauthenticated caller.
    let read = false;
    const id = {
      then(resolve: (value: string) => void) {
        read = true;
        resolve("crm-acme");
      },
    } as unknown as Promise<string>;
    expect((await handleAccountScore(db, get("/api/v1/accounts/crm-acme/score"), id)).status).toBe(401);
    expect(read).toBe(false);
  });
});

describe("GET /api/v1/scores", () => {
  it("pages through every account changed since a moment exactly once, oldest change first", async () => {
    const since = Date.now() + 10_000;
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await insertAccount(db, { externalId: `page-${i}` });
      await setScore(db, id, { points: 10 + i });
      ids.push(id);
    }
    // Changes at distinct times, two of them at the same millisecond (the account id breaks the tie).
    const times = [0, 5, 5, 9, 12, 20, 30];
    for (const [i, id] of ids.entries()) await db.run(sql`UPDATE account_score_changes SET changed_at = ${since + (times[i] ?? 0)} WHERE account_id = ${id}`);
    const seen: string[] = [];
    let url = `/api/v1/scores?changedSince=${encodeURIComponent(new Date(since).toISOString())}&limit=3`;
    for (let pages = 0; pages < 10; pages++) {
      const response = await handleScores(db, get(url, `Bearer ${token}`));
      expect(response.status).toBe(200);
      const page = (await body(response)) as { data: { accountId: string }[]; nextCursor: string | null; syncedUntil: string };
      seen.push(...page.data.map((d) => d.accountId));
      expect(Date.parse(page.syncedUntil)).toBeLessThan(Date.now());
      if (!page.nextCursor) break;
      url = `/api/v1/scores?cursor=${page.nextCursor}&limit=3`;
    }
    expect(seen).toEqual(ids.map((_, i) => `page-${i}`));
  });

  it("names the field of a bad query", async () => {
    const bad = await handleScores(db, get("/api/v1/scores?changedSince=yesterday", `Bearer ${token}`));
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({ error: { field: "changedSince" } });
    const cursor = await handleScores(db, get("/api/v1/scores?cursor=bm90LWEtY3Vyc29y", `Bearer ${token}`));
    expect(await body(cursor)).toMatchObject({ error: { field: "cursor" } });
    const limit = await handleScores(db, get("/api/v1/scores?limit=5000", `Bearer ${token}`));
    expect(await body(limit)).toMatchObject({ error: { field: "limit", message: "limit: must be at most 1000" } });
  });
});

describe("the OpenAPI document", () => {
  it("describes the read endpoints, their token and the score record", async () => {
    const { openApiDocument } = await import("@/lib/ingestion/openapi");
    const doc = openApiDocument("https://ces.example.com") as {
      paths: Record<string, { get?: { security: unknown; parameters: { name: string }[] } }>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.paths["/api/v1/scores"]?.get?.security).toEqual([{ readToken: [] }]);
    expect(doc.paths["/api/v1/scores"]?.get?.parameters.map((p) => p.name)).toEqual(["changedSince", "cursor", "limit"]);
    expect(doc.paths["/api/v1/accounts/{id}/score"]?.get?.parameters.map((p) => p.name)).toEqual(["id"]);
    expect(doc.components.securitySchemes.readToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(Object.keys(doc.components.schemas.ScoreRecord?.properties ?? {})).toEqual(expect.arrayContaining(["accountId", "score", "band", "previousScore", "change", "declining", "scoreChangedAt"]));
  });
});
