import { sql } from "drizzle-orm";
import { todayDay } from "@/lib/days";
import { demoUser } from "@/lib/demo/users";
import { startSmtp, type SmtpReceiver } from "../test/alerts/receivers";
import { e2eDatabaseUrl } from "./db";
import { expect, test } from "./fixtures";
import { startFleet, type Fleet, type FleetServer } from "./fleet";

/**
 * Issue 15, "several app servers on one database": two `next start` processes (A and B) on
 * one PostgreSQL database, checked over HTTP as users and SDKs use them. The database is seeded
 * as of yesterday, so both servers start into a turned UTC day; email is set up with the digest
 * due at once, so both servers' alert workers find the day's digest to send.
 */
test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);
// Several servers on one database is how PostgreSQL installations run; SQLite's run would start a
// PostgreSQL of its own for exactly the same test. npm test runs the suite on PostgreSQL too.
test.skip(e2eDatabaseUrl() === null, "several servers on one PostgreSQL database: runs in the suite's PostgreSQL run (npm run test:e2e:postgres, part of npm test)");

let fleet: Fleet;
let smtp: SmtpReceiver;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  smtp = await startSmtp();
  fleet = await startFleet({
    // Each server checks its scores every second, so B tries to apply whatever A applies.
    // The alert worker at full share: the test is about who sends the digest, not how gently (ALERTS_WORK_SHARE).
    env: { SCORES_CHECK_SECONDS: "1", ALERTS_WORK_SHARE: "1" },
    // The SMTP server and the digest hour, as an admin would have set them before this morning
    // (set before the servers start: their alert workers run the day's jobs as they start).
    prepare: (db) =>
      db.run(sql`INSERT INTO alert_settings (id, smtp_host, smtp_port, smtp_security, from_address, digest_hour_utc, updated_at, updated_by)
        VALUES (1, '127.0.0.1', ${smtp.port}, 'none', 'ces@example.com', 0, ${Date.now()}, 'fleet test')`),
  });
});

test.afterAll(async () => {
  await fleet?.stop();
  await smtp?.close();
});

/** A signed-in user of one server: their session cookie, sent to either server. */
interface Session {
  cookie: string;
}

async function signIn(server: FleetServer, email: string, password: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ email, password }),
  });
}

async function sessionOn(server: FleetServer, email: string, password: string): Promise<Session> {
  const response = await signIn(server, email, password);
  expect(response.status, await response.clone().text()).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c.includes("session_token"))
    .join("; ");
  expect(cookie).not.toBe("");
  return { cookie };
}

async function call(server: FleetServer, session: Session | null, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      origin: server.url,
      ...(session ? { cookie: session.cookie } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function json<T>(server: FleetServer, session: Session, path: string): Promise<T> {
  const response = await call(server, session, path);
  if (!response.ok) throw new Error(`GET ${path} on ${server.name}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One Prometheus sample of a server's /metrics (0 when absent). */
async function metric(server: FleetServer, name: string, labels: string): Promise<number> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${fleet.metricsToken}` } });
  expect(response.status).toBe(200);
  const line = (await response.text()).split("\n").find((l) => l.startsWith(`${name}{${labels}}`) || (labels === "" && l.startsWith(`${name} `)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

const fullRecomputes = (server: FleetServer) => metric(server, "ces_recompute_duration_seconds_count", 'kind="full"');
const scoreChecks = (server: FleetServer) => metric(server, "ces_recompute_duration_seconds_count", 'kind="sync"');

/** Full recomputes across the fleet, once both servers have checked their scores twice more (so each had its chance to apply again). */
async function fleetRecomputesSettled(): Promise<number> {
  const before = await Promise.all([scoreChecks(fleet.a), scoreChecks(fleet.b)]);
  await expect
    .poll(async () => {
      const now = await Promise.all([scoreChecks(fleet.a), scoreChecks(fleet.b)]);
      return now.every((n, i) => n >= (before[i] ?? 0) + 2);
    }, { timeout: 20_000 })
    .toBe(true);
  return (await fullRecomputes(fleet.a)) + (await fullRecomputes(fleet.b));
}

const admin = demoUser("admin");
const manager = demoUser("manager");

test("the day turned while the fleet was down: both servers start, the day is applied once and the day's digest sent once", async () => {
  // The servers' day is read from the test's clock at each check: a UTC midnight during the test
  // moves both on, and each day that turns is applied once more (so between the turns seen
  // before and after the count).
  const firstDay = todayDay();
  await expect.poll(async () => (await fleet.value<number>(sql`SELECT min(as_of_day) FROM account_scores`)) === todayDay(), { timeout: 60_000 }).toBe(true);
  const turnedBefore = 1 + todayDay() - firstDay;
  const recomputes = await fleetRecomputesSettled();
  const logged = [fleet.a, fleet.b].map((s) => s.output.join("").split("scores recomputed").length - 1).reduce((x, y) => x + y);
  const turnedAfter = 1 + todayDay() - firstDay;
  for (const applied of [recomputes, logged]) {
    expect(applied).toBeGreaterThanOrEqual(turnedBefore);
    expect(applied).toBeLessThanOrEqual(turnedAfter);
  }

  // The digest: claimed by one server, delivered once, nothing left in the outbox.
  await expect.poll(() => smtp.messages.filter((m) => !Array.isArray(m.to) && m.to?.value[0]?.address === manager.email).length, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => fleet.value<string>(sql`SELECT string_agg(event_type || ':' || status, ',' ORDER BY id) FROM outbox`), { timeout: 30_000 }).toBe("digest:delivered");
  expect(smtp.messages.filter((m) => !Array.isArray(m.to) && m.to?.value[0]?.address === manager.email)).toHaveLength(1);
});

test("a session made on A is good on B, and signing out on A ends it on B", async () => {
  const session = await sessionOn(fleet.a, manager.email, manager.password);
  expect((await call(fleet.b, session, "/api/overview")).status).toBe(200);
  const out = await call(fleet.a, session, "/api/auth/sign-out", { method: "POST", body: {} });
  expect(out.status, await out.text()).toBe(200);
  expect((await call(fleet.b, session, "/api/overview")).status).toBe(401);
  expect((await call(fleet.a, session, "/api/overview")).status).toBe(401);
});

test("wrong passwords split across A and B lock the email on both", async () => {
  const adminSession = await sessionOn(fleet.a, admin.email, admin.password);
  const email = `fleet-lock-${Date.now().toString(36)}@example.com`;
  const created = await call(fleet.a, adminSession, "/api/admin/users", {
    method: "POST",
    body: { name: "Lou Locked", email, password: "fleet-password-123", role: "viewer", accountManagerName: null },
  });
  expect(created.status, await created.text()).toBe(201);
  for (let i = 0; i < 5; i++) {
    const server = i % 2 === 0 ? fleet.a : fleet.b;
    expect((await signIn(server, email, `wrong-${i}-password`)).status).toBe(401);
  }
  for (const server of [fleet.a, fleet.b]) {
    const locked = await signIn(server, email, "fleet-password-123");
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ code: "SIGN_IN_LOCKED" });
  }
});

type CallListPage = { rows: { id: number; externalId: string; name: string; scoreHundredths: number; lastContact: unknown; snoozedUntil: string | null }[]; total: number };
const TIERS = ["high", "medium", "low"] as const;

/** The account's row in any tier of a server's call lists (searched by name), or null. */
async function listRow(server: FleetServer, session: Session, name: string): Promise<CallListPage["rows"][number] | null> {
  for (const list of TIERS) {
    const page = await json<CallListPage>(server, session, `/api/accounts?list=${list}&q=${encodeURIComponent(name)}`);
    const row = page.rows.find((r) => r.name === name);
    if (row) return row;
  }
  return null;
}

async function writeKeyOn(server: FleetServer, session: Session): Promise<string> {
  const response = await call(server, session, "/api/admin/keys", { method: "POST", body: { label: `fleet ${server.name}` } });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

let batchCounter = 0;

/** Sends `count` "Report created" events (weight 2) for account `externalId` through a server's /v1/batch, as an SDK does. */
async function ingest(server: FleetServer, writeKey: string, externalId: string, count: number): Promise<Response> {
  const timestamp = new Date(Date.now() - 60_000).toISOString();
  const batch = Array.from({ length: count }, () => ({
    type: "track",
    event: "report_created",
    userId: `${externalId}-user`,
    context: { groupId: externalId },
    messageId: `fleet-${process.pid}-${++batchCounter}`,
    timestamp,
  }));
  return fetch(`${server.url}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}` },
    body: JSON.stringify({ batch }),
  });
}

test("an event ingested through A is in B's call lists and account page within 1 s", async () => {
  const session = await sessionOn(fleet.b, admin.email, admin.password);
  const writeKey = await writeKeyOn(fleet.a, await sessionOn(fleet.a, admin.email, admin.password));
  const externalId = `fleet-new-${Date.now().toString(36)}`;
  const sent = await ingest(fleet.a, writeKey, externalId, 3);
  expect(sent.status, await sent.clone().text()).toBe(200);
  const acknowledged = Date.now();
  // An account created by ingestion is named by its external id; 3 × weight 2 = 6 points.
  await expect.poll(async () => (await listRow(fleet.b, session, externalId))?.scoreHundredths ?? null, { timeout: Math.max(1, acknowledged + 1000 - Date.now()), intervals: [50] }).toBe(600);
  const row = await listRow(fleet.b, session, externalId);
  const detail = await json<{ account: { externalId: string }; score: { scoreHundredths: number } }>(fleet.b, session, `/api/accounts/${row?.id}`);
  expect(JSON.stringify(detail)).toContain(externalId);
});

test("an account erased through A: B takes its external id again as a new account", async () => {
  const adminA = await sessionOn(fleet.a, admin.email, admin.password);
  const adminB = await sessionOn(fleet.b, admin.email, admin.password);
  const writeKey = await writeKeyOn(fleet.a, adminA);
  const externalId = `fleet-erased-${Date.now().toString(36)}`;
  // B has seen the account (and remembers its id).
  expect((await ingest(fleet.b, writeKey, externalId, 1)).status).toBe(200);
  await expect.poll(async () => (await listRow(fleet.b, adminB, externalId))?.scoreHundredths ?? null).toBe(200);
  const erased = await call(fleet.a, adminA, "/api/admin/erasure", { method: "POST", body: { kind: "account", externalId } });
  expect(erased.status, await erased.clone().text()).toBe(200);
  const again = await ingest(fleet.b, writeKey, externalId, 2);
  expect(again.status, await again.clone().text()).toBe(200);
  await expect.poll(async () => (await listRow(fleet.b, adminB, externalId))?.scoreHundredths ?? null).toBe(400);
});

test("a tag, a change marker, a snooze and a contact made through A are in B's next answer", async () => {
  const adminA = await sessionOn(fleet.a, admin.email, admin.password);
  const adminB = await sessionOn(fleet.b, admin.email, admin.password);
  // B's views computed (and cached) before the changes.
  const medium = await json<CallListPage>(fleet.b, adminB, "/api/accounts?list=medium");
  const target = medium.rows[0];
  if (!target) throw new Error("the medium list is empty");
  const tag = `fleet-${Date.now().toString(36)}`;
  expect(JSON.stringify(await json(fleet.b, adminB, "/api/segments?dimension=tag"))).not.toContain(tag);
  const markerTitle = `Fleet launch ${tag}`;
  expect(JSON.stringify(await json(fleet.b, adminB, "/api/change-markers"))).not.toContain(markerTitle);

  const tagged = await call(fleet.a, adminA, "/api/admin/tags", { method: "POST", body: { action: "add", tag, selection: { by: "ids", externalIds: [target.externalId] } } });
  expect(tagged.status, await tagged.clone().text()).toBe(200);
  expect(JSON.stringify(await json(fleet.b, adminB, "/api/segments?dimension=tag"))).toContain(tag);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const marker = await call(fleet.a, adminA, "/api/change-markers", { method: "POST", body: { date: yesterday, title: markerTitle, description: "" } });
  expect(marker.status, await marker.clone().text()).toBe(201);
  expect(JSON.stringify(await json(fleet.b, adminB, "/api/change-markers"))).toContain(markerTitle);

  const contact = await call(fleet.a, adminA, `/api/accounts/${target.id}/contacts`, { method: "POST", body: { outcome: "reached", note: "Called from A" } });
  expect(contact.status, await contact.clone().text()).toBe(201);
  const contacted = (await json<CallListPage>(fleet.b, adminB, "/api/accounts?list=medium")).rows.find((r) => r.id === target.id);
  expect(contacted?.lastContact).toMatchObject({ outcome: "reached" });

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const snoozed = await call(fleet.a, adminA, `/api/accounts/${target.id}/snooze`, { method: "PUT", body: { until: tomorrow } });
  expect(snoozed.ok, await snoozed.clone().text()).toBe(true);
  const after = await json<CallListPage>(fleet.b, adminB, "/api/accounts?list=medium");
  expect(after.rows.map((r) => r.id)).not.toContain(target.id);
  expect(after.total).toBe(medium.total - 1);
});

/** Where `actual` first differs from `expected`, with a little context. */
function difference(expected: string, actual: string): string {
  let at = 0;
  while (at < expected.length && expected[at] === actual[at]) at++;
  return `…${expected.slice(Math.max(0, at - 80), at + 80)}… but B said …${actual.slice(Math.max(0, at - 80), at + 80)}…`;
}

interface ScoringView {
  version: number;
  config: { settings: unknown; types: Record<string, { weightHundredths: number; active: boolean }> };
}

test("a weights save on A is applied once across the fleet, and B answers with the old complete scores or the new complete ones, never a mix", async () => {
  const adminA = await sessionOn(fleet.a, admin.email, admin.password);
  const adminB = await sessionOn(fleet.b, admin.email, admin.password);
  const recomputesBefore = await fleetRecomputesSettled();
  // What B shows of the scores: the overview, the first page of each tier list (with its counts) and one account page.
  const someAccount = (await json<CallListPage>(fleet.b, adminB, "/api/accounts?list=high")).rows[0];
  if (!someAccount) throw new Error("the high list is empty");
  const views = ["/api/overview", ...TIERS.map((list) => `/api/accounts?list=${list}`), `/api/accounts/${someAccount.id}`];
  const read = async () => Promise.all(views.map(async (view) => JSON.stringify(await json(fleet.b, adminB, view))));
  const before = await read();

  // Every weight doubled: every score doubles, and accounts move between bands and lists.
  const current = await json<ScoringView>(fleet.a, adminA, "/api/admin/scoring");
  const types = Object.fromEntries(Object.entries(current.config.types).map(([key, t]) => [key, { ...t, weightHundredths: t.weightHundredths * 2 }]));
  // B read over and over while A applies the version (four readers at once).
  let applying = true;
  const seen: string[][] = [];
  const readers = Array.from({ length: 4 }, async () => {
    while (applying) seen.push(await read());
  });
  const saved = await call(fleet.a, adminA, "/api/admin/scoring", { method: "POST", body: { config: { ...current.config, types }, reason: "fleet test: every weight doubled" } });
  expect(saved.status, await saved.clone().text()).toBe(202);
  const { versionId } = (await saved.json()) as { versionId: number };
  await expect.poll(() => fleet.value<number>(sql`SELECT config_version FROM scoring_settings`), { timeout: 30_000 }).toBe(versionId);
  applying = false;
  await Promise.all(readers);
  const after = await read();

  expect(after).not.toEqual(before);
  expect(seen.length).toBeGreaterThan(0);
  for (const answer of seen) {
    answer.forEach((body, i) => {
      const view = views[i];
      if (body !== before[i] && body !== after[i]) {
        throw new Error(`B answered ${view} with neither the old nor the new complete scores:\n  old: ${difference(before[i] ?? "", body)}\n  new: ${difference(after[i] ?? "", body)}`);
      }
    });
  }
  expect(await fleetRecomputesSettled()).toBe(recomputesBefore + 1);
});
