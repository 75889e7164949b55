import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { todayDay } from "@/lib/days";
import { handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { refuseMetricsRequest } from "@/lib/operations/server/metrics-access";
import { observeHttpRequest, renderMetrics } from "@/lib/operations/server/metrics";
import { recomputeScores } from "@/lib/scoring/server/recompute-db";
import { createTestDb } from "../db";
import { HOUR, isoAgo, newWriteKey, post } from "./helpers";
import { pinClock } from "@/test/clock";

pinClock();

/** What ingestion and score maintenance report to GET /metrics. */
let data: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());
let key = "";
beforeAll(async () => {
  ({ db: data, cleanup } = await createTestDb());
  await data.run(sql`INSERT INTO event_types (key, label, weight_hundredths) VALUES ('report_created', 'Report created', 200)`);
  await recomputeScores(data, { asOfDay: todayDay() });
  key = await newWriteKey(data);
});

async function scrape(): Promise<string> {
  return (await renderMetrics(data)).body;
}

function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

const track = (messageId: string) => ({ type: "track", event: "Report Created", userId: "u-1", context: { groupId: "acme" }, messageId, timestamp: isoAgo(HOUR) });

describe("ingestion metrics", () => {
  it("counts accepted, duplicate and rejected events, times each request, and measures score freshness", async () => {
    const before = await scrape();
    const response = await handleSegmentRequest(data, post("/v1/batch", { batch: [track("a"), track("b"), track("a"), { type: "track", messageId: "bad" }] }, { key }), "batch");
    expect(response.status).toBe(200);
    const after = await scrape();
    const delta = (series: string) => value(after, series) - value(before, series);
    expect(delta('ces_ingest_events_total{outcome="accepted"}')).toBe(2);
    expect(delta('ces_ingest_events_total{outcome="duplicate"}')).toBe(1);
    expect(delta('ces_ingest_events_total{outcome="rejected"}')).toBe(1);
    expect(delta('ces_ingest_request_duration_seconds_count{endpoint="segment",status="200"}')).toBe(1);
    // A lone sender's events are in the scores when it is answered: one sync, freshness observed, no lag left.
    expect(delta('ces_recompute_duration_seconds_count{kind="sync"}')).toBe(1);
    expect(delta("ces_score_freshness_seconds_count")).toBe(1);
    expect(value(after, "ces_score_lag_seconds")).toBe(0);
  });

  it("counts a refused request by its status", async () => {
    const before = await scrape();
    const response = await handleSegmentRequest(data, post("/v1/batch", { batch: [track("c")] }, { key: "ces_wrong" }), "batch");
    expect(response.status).toBe(401);
    const after = await scrape();
    expect(value(after, 'ces_ingest_request_duration_seconds_count{endpoint="segment",status="401"}') - value(before, 'ces_ingest_request_duration_seconds_count{endpoint="segment",status="401"}')).toBe(1);
  });

  it("reports request latency per route group", async () => {
    observeHttpRequest("/api/accounts?list=low", 200, 0.042);
    observeHttpRequest("/v1/batch", 503, 0.001);
    const text = await scrape();
    expect(value(text, 'ces_http_request_duration_seconds_count{group="api",status="2xx"}')).toBe(1);
    expect(value(text, 'ces_http_request_duration_seconds_sum{group="api",status="2xx"}')).toBeCloseTo(0.042);
    expect(value(text, 'ces_http_request_duration_seconds_count{group="ingest",status="5xx"}')).toBe(1);
  });
});

describe("who may read /metrics", () => {
  const token = "t0ken-for-the-scraper-1234";
  const get = (authorization?: string) => new Request("http://localhost/metrics", { headers: authorization ? { authorization } : {} });

  it("is off without METRICS_TOKEN", () => {
    expect(refuseMetricsRequest(get(`Bearer ${token}`), {})?.status).toBe(403);
  });

  it("needs the token as a Bearer token", () => {
    const env = { METRICS_TOKEN: token };
    expect(refuseMetricsRequest(get(`Bearer ${token}`), env)).toBeNull();
    expect(refuseMetricsRequest(get(), env)?.status).toBe(401);
    expect(refuseMetricsRequest(get(`Bearer ${token}x`), env)?.status).toBe(401);
    expect(refuseMetricsRequest(get(`Basic ${token}`), env)?.status).toBe(401);
  });
});
