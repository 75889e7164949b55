import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustedProxies } from "@/lib/http/forwarded";
import { fairShareKey, installEdgeHook, SESSION_CONCURRENCY } from "@/lib/http/server/edge";

/**
 * The hook every request meets before Next.js (lib/http/server/edge.ts), on a real HTTP server:
 * what the application then sees of X-Forwarded-*, the 400 for an undecodable path, and each
 * session's fair share of the server. Trusting 127.0.0.2 lets one test play a reverse proxy
 * (connecting from 127.0.0.2) and another a client (from 127.0.0.1).
 */
const parsed = parseTrustedProxies("127.0.0.2");
if ("error" in parsed) throw new Error(parsed.error);
installEdgeHook(parsed.proxies);

let server: http.Server;
let port = 0;
/** Requests the application is working on, and the most it ever worked on at once. */
let working = 0;
let mostAtOnce = 0;
const releases: (() => void)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith("/slow")) {
      working++;
      mostAtOnce = Math.max(mostAtOnce, working);
      releases.push(() => {
        working--;
        res.end("done");
      });
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ forwardedFor: req.headers["x-forwarded-for"] ?? null, forwardedHost: req.headers["x-forwarded-host"] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, options: { from?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, localAddress: options.from ?? "127.0.0.1", headers: options.headers, agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("forwarded headers", () => {
  it("are replaced by the connection's own address when it is not a trusted proxy", async () => {
    const answer = await get("/", { headers: { "x-forwarded-for": "203.0.113.9", "x-forwarded-host": "evil.example" } });
    expect(JSON.parse(answer.body)).toEqual({ forwardedFor: "127.0.0.1", forwardedHost: null });
  });

  it("are believed from a trusted proxy, as far as it vouches for them", async () => {
    const answer = await get("/", { from: "127.0.0.2", headers: { "x-forwarded-for": "6.6.6.6, 203.0.113.9", "x-forwarded-host": "ces.example.com" } });
    expect(JSON.parse(answer.body)).toEqual({ forwardedFor: "203.0.113.9", forwardedHost: "ces.example.com" });
  });
});

describe("a path that cannot be decoded", () => {
  it("is answered 400 with the security headers before the application sees it", async () => {
    const answer = await get("/api/accounts/%");
    expect(answer.status).toBe(400);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: { code: "invalid_path" } });
  });
});

describe("each session's fair share", () => {
  it("works on at most six requests of one session at once; the rest wait and are answered in turn", async () => {
    const cookie = { cookie: "theme=dark; ces.session_token=abc.def" };
    const answers = Array.from({ length: 20 }, () => get("/slow", { headers: cookie }));
    await waitFor(() => working === SESSION_CONCURRENCY);
    // Another user is not held up behind them.
    expect((await get("/", { headers: { cookie: "ces.session_token=someone-else" } })).status).toBe(200);
    expect(working).toBe(SESSION_CONCURRENCY);
    // Finish them one at a time: each finished one lets the next waiting one in.
    for (let finished = 0; finished < 20; finished++) {
      await waitFor(() => releases.length > 0);
      expect(working).toBeLessThanOrEqual(SESSION_CONCURRENCY);
      releases.shift()?.();
    }
    expect((await Promise.all(answers)).map((a) => a.body)).toEqual(Array(20).fill("done"));
    expect(mostAtOnce).toBe(SESSION_CONCURRENCY);
  });

  it("counts sessions only: not ingestion, static files, or requests without a session", () => {
    expect(fairShareKey("/api/overview", "ces.session_token=t1")).toBe("t1");
    expect(fairShareKey("/accounts?list=low", "__Secure-ces.session_token=t2; x=1")).toBe("t2");
    expect(fairShareKey("/v1/batch", "ces.session_token=t1")).toBeNull();
    expect(fairShareKey("/api/v1/events", "ces.session_token=t1")).toBeNull();
    expect(fairShareKey("/_next/static/chunks/app.js", "ces.session_token=t1")).toBeNull();
    expect(fairShareKey("/api/overview", undefined)).toBeNull();
    expect(fairShareKey("/api/overview", "other=1")).toBeNull();
  });
});
