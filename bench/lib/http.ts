/**
 * Talking to the server as its users do: a demo user's session (signed in over the API, as
 * the browser does) and timed requests; load at N connections with autocannon.
 */
import autocannon from "autocannon";
import { demoUser } from "@/lib/demo/users";
import type { Role } from "@/lib/auth/roles";

/** Signs a demo user in and returns the Cookie header that carries the session. */
export async function signIn(base: string, role: Role): Promise<string> {
  const user = demoUser(role);
  const response = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${user.email} failed: HTTP ${response.status} ${await response.text()}`);
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
  if (cookies.length === 0) throw new Error("sign-in set no cookie");
  return cookies.join("; ");
}

export interface TimedResponse {
  ms: number;
  status: number;
  body: string;
}

export async function timed(url: string, init: RequestInit = {}): Promise<TimedResponse> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface LoadRequest {
  method?: "GET" | "POST";
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses that were not 2xx, plus connection errors and timeouts. */
  failures: number;
  seconds: number;
}

export interface LoadOptions {
  base: string;
  connections: number;
  /** Run for this long… */
  durationSeconds?: number;
  /** …or send exactly this many requests. */
  amount?: number;
  /** Requests are sent round-robin; a function makes a fresh one each time (e.g. a new batch). */
  requests: readonly LoadRequest[] | (() => LoadRequest);
  headers?: Record<string, string>;
  timeoutSeconds?: number;
}

/**
 * Load at `connections` concurrent connections (autocannon), every latency recorded:
 * percentiles are exact over all responses, not histogram buckets.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const pick = (): LoadRequest => {
    if (typeof options.requests === "function") return options.requests();
    const list = options.requests;
    const r = list[next++ % list.length];
    if (!r) throw new Error("no requests to send");
    return r;
  };
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.base,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.durationSeconds ?? 10 } : { amount: options.amount }),
        timeout: options.timeoutSeconds ?? 60,
        headers: options.headers,
        requests: [
          {
            setupRequest: (request) => {
              const r = pick();
              return { ...request, method: r.method ?? "GET", path: r.path, body: r.body, headers: { ...request.headers, ...r.headers } };
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) failures++;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    failures: failures + result.errors + result.timeouts,
    seconds,
  };
}
