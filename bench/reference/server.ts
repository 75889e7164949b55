/**
 * tsx bench/reference/server.ts --db FILE --port P --write-key KEY
 *
 * The bare reference the benchmark holds `/v1/batch` to (issue 19): plain node:http and
 * better-sqlite3, no framework, doing the same durable work as the product for Segment
 * batches of track calls (bench/reference/schema.ts): every raw event kept, exact dedupe on
 * (day, message id), a daily rollup per account and event type, committed before the answer.
 * Concurrent requests are written together in one transaction (what any server with more
 * than one sender does; the product does it too), each answered once it committed.
 *
 * It checks what it stores (an object, a track call, a message id, an event name, an
 * ISO-8601 timestamp, an account id) and nothing more; unknown accounts and event types are
 * created. It keeps no scores and serves no pages.
 */
import http from "node:http";
import { parseArgs } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { applyConnectionPragmas } from "../../db/pragmas";
import { REFERENCE_INDEXES, REFERENCE_TABLES } from "./schema";

const { values } = parseArgs({ options: { db: { type: "string" }, port: { type: "string" }, "write-key": { type: "string" } } });
if (!values.db || !values.port || !values["write-key"]) {
  console.error("usage: server.ts --db FILE --port P --write-key KEY");
  process.exit(2);
}
const port = Number(values.port);
const expectedAuthorization = `Basic ${Buffer.from(`${values["write-key"]}:`).toString("base64")}`;
const MAX_BODY = 4 * 1024 * 1024;
const MAX_BATCH = 2500;
const MS_PER_DAY = 86_400_000;

const sqlite = new BetterSqlite3(values.db);
// The product's connection settings (db/pragmas.ts), so the comparison is of the work alone.
applyConnectionPragmas(sqlite);
sqlite.exec(REFERENCE_TABLES);
sqlite.exec(REFERENCE_INDEXES);

const accountIds = new Map<string, number>((sqlite.prepare("SELECT external_id, id FROM accounts").raw().all() as [string, number][]).map(([k, v]) => [k, v]));
const typeIds = new Map<string, number>((sqlite.prepare("SELECT key, id FROM event_types").raw().all() as [string, number][]).map(([k, v]) => [k, v]));
const insertAccount = sqlite.prepare("INSERT INTO accounts (external_id) VALUES (?) RETURNING id").pluck();
const insertType = sqlite.prepare("INSERT INTO event_types (key) VALUES (?) RETURNING id").pluck();
const insertEvent = sqlite.prepare(
  "INSERT INTO events (account_id, type_id, occurred_at, day, quantity, message_id, received_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (day, message_id) DO NOTHING",
);
const upsertRollup = sqlite.prepare(
  "INSERT INTO daily_rollups (day, account_id, type_id, count) VALUES (?, ?, ?, ?) ON CONFLICT (day, account_id, type_id) DO UPDATE SET count = count + excluded.count",
);

interface Track {
  accountKey: string;
  typeKey: string;
  occurredAt: number;
  messageId: string;
}

interface Job {
  events: Track[];
  done: (result: { accepted: number; duplicates: number } | Error) => void;
}

function track(message: unknown): Track | null {
  if (typeof message !== "object" || message === null) return null;
  const m = message as Record<string, unknown>;
  if (m.type !== "track" || typeof m.messageId !== "string" || m.messageId === "" || typeof m.event !== "string" || m.event === "") return null;
  const occurredAt = typeof m.timestamp === "string" ? Date.parse(m.timestamp) : Number.NaN;
  if (!Number.isFinite(occurredAt)) return null;
  const context = m.context as Record<string, unknown> | undefined;
  const properties = m.properties as Record<string, unknown> | undefined;
  const accountKey = context?.groupId ?? properties?.groupId;
  if (typeof accountKey !== "string" || accountKey === "") return null;
  return { accountKey, typeKey: m.event, occurredAt, messageId: m.messageId };
}

function idOf(cache: Map<string, number>, insert: BetterSqlite3.Statement, key: string, created: Map<string, number>): number {
  let id = cache.get(key) ?? created.get(key);
  if (id === undefined) {
    id = insert.get(key) as number;
    created.set(key, id);
  }
  return id;
}

const TYPE_SLOTS = 2 ** 21;

/** Every queued job in one transaction; ids created are remembered once it committed. */
const writeJobs = (jobs: Job[]): { accepted: number; duplicates: number }[] => {
  const newAccounts = new Map<string, number>();
  const newTypes = new Map<string, number>();
  const results = sqlite.transaction(() => {
    const receivedAt = Date.now();
    const rollups = new Map<number, Map<number, number>>();
    const out = jobs.map((job) => {
      let accepted = 0;
      let duplicates = 0;
      for (const e of job.events) {
        const accountId = idOf(accountIds, insertAccount, e.accountKey, newAccounts);
        const typeId = idOf(typeIds, insertType, e.typeKey, newTypes);
        const day = Math.floor(e.occurredAt / MS_PER_DAY);
        if (insertEvent.run(accountId, typeId, e.occurredAt, day, e.messageId, receivedAt).changes === 0) {
          duplicates++;
          continue;
        }
        accepted++;
        let perAccount = rollups.get(accountId);
        if (!perAccount) rollups.set(accountId, (perAccount = new Map()));
        const key = day * TYPE_SLOTS + typeId;
        perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
      }
      return { accepted, duplicates };
    });
    for (const [accountId, perAccount] of rollups) {
      for (const [key, count] of perAccount) upsertRollup.run(Math.floor(key / TYPE_SLOTS), accountId, key % TYPE_SLOTS, count);
    }
    return out;
  }).immediate();
  for (const [k, v] of newAccounts) accountIds.set(k, v);
  for (const [k, v] of newTypes) typeIds.set(k, v);
  return results;
};

let queue: Job[] = [];
let flushing: NodeJS.Immediate | null = null;

function flush(): void {
  flushing = null;
  const jobs = queue;
  queue = [];
  try {
    const results = writeJobs(jobs);
    jobs.forEach((job, i) => job.done(results[i] ?? new Error("no result")));
  } catch (error) {
    for (const job of jobs) job.done(error instanceof Error ? error : new Error(String(error)));
  }
}

function answer(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

const server = http.createServer((request, response) => {
  if (request.method === "GET" && request.url === "/health") return answer(response, 200, { ok: true });
  if (request.method !== "POST" || request.url !== "/v1/batch") return answer(response, 404, { success: false, error: "not found" });
  if (request.headers.authorization !== expectedAuthorization) return answer(response, 401, { success: false, error: "invalid write key" });
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) request.destroy();
    else chunks.push(chunk);
  });
  request.on("end", () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks, size).toString("utf8"));
    } catch {
      return answer(response, 400, { success: false, error: "malformed JSON" });
    }
    const batch = (body as { batch?: unknown } | null)?.batch;
    if (!Array.isArray(batch) || batch.length > MAX_BATCH) return answer(response, 400, { success: false, error: "batch must be an array of at most 2,500 messages" });
    const events: Track[] = [];
    for (const message of batch) {
      const t = track(message);
      if (t) events.push(t);
    }
    const rejected = batch.length - events.length;
    queue.push({
      events,
      done: (result) => (result instanceof Error ? answer(response, 500, { success: false, error: result.message }) : answer(response, 200, { success: true, ...result, rejected })),
    });
    flushing ??= setImmediate(flush);
  });
});

server.listen(port, "127.0.0.1", () => console.log(`reference listening on ${port}`));
const stop = () => server.close(() => {
  sqlite.close();
  process.exit(0);
});
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
