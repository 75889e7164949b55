import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPreflight, handleBrowserSettings, handleLibraryBundle, handleLibraryScript } from "@/lib/ingestion/server/browser";
import { handleSegmentRequest } from "@/lib/ingestion/server/handlers";
import { revokeWriteKey } from "@/lib/ingestion/server/write-keys";
import { createTestDb } from "../db";
import type { Db } from "@/db/client";
import { count, json, newWriteKey, TEST_ACTOR } from "./helpers";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

let key = "";
beforeAll(async () => {
  key = await newWriteKey(db);
});

function settingsRequest(writeKey: string, headers: Record<string, string> = {}, url = `http://127.0.0.1:3000/v1/projects/${writeKey}/settings`) {
  return handleBrowserSettings(db, new Request(url, { headers }), writeKey);
}

describe("GET /v1/projects/{writeKey}/settings", () => {
  it("points the Segment.io integration at this server and switches the library's usage reports off", async () => {
    const res = await settingsRequest(key, { host: "127.0.0.1:3000" });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    const body = await json(res);
    expect(body).toMatchObject({
      integrations: { "Segment.io": { apiKey: key, apiHost: "127.0.0.1:3000/v1", protocol: "http" } },
      metrics: { sampleRate: 0, host: "127.0.0.1:3000/v1" },
      remotePlugins: [],
      enabledMiddleware: {},
      legacyVideoPluginsEnabled: false,
      autoInstrumentationSettings: { sampleRate: 0 },
    });
    // Segment.io is the only destination: analytics.js loads nothing else into the page.
    expect(Object.keys(body.integrations as object)).toEqual(["Segment.io"]);
  });

  it("gives the address the browser reached behind a reverse proxy", async () => {
    const behindNginx = await settingsRequest(key, { host: "127.0.0.1:3000", "x-forwarded-proto": "https", "x-forwarded-host": "ces.example.com", "x-forwarded-port": "3000" });
    expect(await json(behindNginx)).toMatchObject({ integrations: { "Segment.io": { apiHost: "ces.example.com/v1", protocol: "https" } }, metrics: { host: "ces.example.com/v1" } });
    const standard = await settingsRequest(key, { host: "10.0.0.2:3000", forwarded: "for=192.0.2.1;proto=https;host=analytics.example.org" });
    expect(await json(standard)).toMatchObject({ integrations: { "Segment.io": { apiHost: "analytics.example.org/v1", protocol: "https" } } });
  });

  it("answers an unknown or revoked key with 401 and CORS, so the page can read why", async () => {
    const unknown = await settingsRequest("ces_notARealKey000000000000000000000000000000");
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
    expect(await json(unknown)).toMatchObject({ success: false, error: { code: "invalid_write_key" } });

    const revoked = await newWriteKey(db, "revoke for settings");
    expect((await settingsRequest(revoked)).status).toBe(200);
    const id = await count(db, "SELECT id FROM write_keys WHERE label = 'revoke for settings'");
    await revokeWriteKey(db, { actor: TEST_ACTOR, id });
    expect((await settingsRequest(revoked)).status).toBe(401);
  });

  it("answers a CORS preflight", () => {
    const res = browserPreflight();
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("GET");
  });
});

describe("POST /v1/m", () => {
  it("accepts analytics.js' usage reports without a key, with CORS, and stores nothing", async () => {
    const before = await count(db, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM pending_events) + (SELECT count(*) FROM applied_messages)");
    const report = { series: [{ type: "Counter", metric: "analytics_js.invoke.error", value: 1, tags: { library: "analytics.js" } }] };
    const res = await handleSegmentRequest(db, new Request("http://localhost/v1/m", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(report) }), "m");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.text()).toBe("");
    expect(await count(db, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM pending_events) + (SELECT count(*) FROM applied_messages)")).toBe(before);
  });
});

describe("analytics.js for the snippet", () => {
  it("serves the library under an active key only", async () => {
    const res = await handleLibraryScript(db, key);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const text = await res.text();
    // The standalone build: it installs itself as window.analytics from the snippet's queue.
    expect(text).toContain("AnalyticsNext");
    expect(text.length).toBeGreaterThan(50_000);
    expect((await handleLibraryScript(db, "ces_notARealKey000000000000000000000000000000")).status).toBe(401);
  });

  it("serves the parts it loads on demand by their published names, and nothing else", async () => {
    const { readdirSync } = await import("node:fs");
    const bundle = readdirSync("node_modules/@segment/analytics-next/dist/umd").find((name) => /^auto-track\.bundle\.[0-9a-f]+\.js$/.test(name));
    expect(bundle).toBeDefined();
    const res = handleLibraryBundle(bundle ?? "");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect((await res.text()).length).toBeGreaterThan(100);
    for (const name of ["../package.json", "standalone.js", "..%2Fpackage.json", "nope.bundle.abc.js"]) {
      const missing = handleLibraryBundle(name);
      expect(missing.status, name).toBe(404);
      expect(await json(missing), name).toMatchObject({ success: false, error: { code: "not_found" } });
    }
  });
});
