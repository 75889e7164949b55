/**
 * One sender of the concurrency test (concurrency.test.ts), run as its own process with its
 * own connection to the shared database file: it sends every event of the shared pool, in
 * its own order and batch sizes, through the real handlers, retrying each batch as an SDK
 * would (again after a 503, and once more even after a success, as after a lost response).
 */
import { gzipSync } from "node:zlib";
import { openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { Random } from "@/lib/demo/prng";
import { handleNativeEvents, handleSegmentRequest } from "@/lib/ingestion/server/handlers";

const [file = "", key = "", workerArg = "0", poolArg = "0", busyArg = "5000"] = process.argv.slice(2);
const worker = Number(workerArg);
const poolSize = Number(poolArg);
const db = openDatabase(file);
db.sqlite.pragma(`busy_timeout = ${Number(busyArg)}`);
const data = new SqliteDb(db.sqlite, db.file);
const random = new Random(1000 + worker);
const base = Date.parse("2026-01-01T00:00:00Z");

/** Event i of the shared pool: the same in every sender. */
function poolEvent(i: number) {
  return {
    messageId: `pool-${i}`,
    event: ["Report Created", "Session Started", "Colleague Invited"][i % 3] ?? "Report Created",
    account: `conc-${i % 25}`,
    timestamp: new Date(base + i * 37_000).toISOString(),
  };
}

const order = Array.from({ length: poolSize }, (_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = random.int(0, i);
  [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
}

async function sendOnce(ids: number[], native: boolean, gzip: boolean): Promise<Response> {
  const body = native
    ? { events: ids.map((i) => { const e = poolEvent(i); return { messageId: e.messageId, event: e.event, accountId: e.account, timestamp: e.timestamp }; }) }
    : { batch: ids.map((i) => { const e = poolEvent(i); return { type: "track", messageId: e.messageId, event: e.event, context: { groupId: e.account }, timestamp: e.timestamp }; }) };
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` };
  if (gzip) headers["content-encoding"] = "gzip";
  const request = new Request(native ? "http://localhost/api/v1/events" : "http://localhost/v1/batch", {
    method: "POST",
    headers,
    body: gzip ? gzipSync(text) : text,
  });
  return native ? handleNativeEvents(data, request) : handleSegmentRequest(data, request, "batch");
}

async function main() {
  let accepted = 0;
  let duplicates = 0;
  let busy = 0;
  let requests = 0;
  for (let start = 0; start < order.length; ) {
    const size = random.int(50, 400);
    const ids = order.slice(start, start + size);
    start += size;
    const native = random.next() < 0.3;
    const gzip = random.next() < 0.5;
    const attempts = random.next() < 0.5 ? 2 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      for (let tries = 0; ; tries++) {
        const res = await sendOnce(ids, native, gzip);
        requests++;
        if (res.status === 503 && tries < 10_000) {
          busy++;
          continue;
        }
        if (res.status !== 200) throw new Error(`worker ${worker}: HTTP ${res.status} ${await res.text()}`);
        const result = (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
        if (result.rejected.length > 0) throw new Error(`worker ${worker}: rejected ${JSON.stringify(result.rejected)}`);
        accepted += result.accepted;
        duplicates += result.duplicates;
        break;
      }
    }
  }
  process.send?.({ accepted, duplicates, busy, requests });
  db.sqlite.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
