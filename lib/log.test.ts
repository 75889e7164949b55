import { afterEach, describe, expect, it } from "vitest";
import { log, logLevelProblem, newRequestId, setLogSink } from "./log";

function capture(): string[] {
  process.env.LOG_LEVEL = "debug";
  const lines: string[] = [];
  setLogSink((line) => lines.push(line));
  return lines;
}

const configuredLevel = process.env.LOG_LEVEL;
afterEach(() => {
  setLogSink(null);
  if (configuredLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = configuredLevel;
});

describe("structured logs", () => {
  it("writes one JSON object per line with time, level, message and fields", () => {
    const lines = capture();
    log.info("scores recomputed", { accounts: 12, job: "recompute" });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(entry).toMatchObject({ level: "info", msg: "scores recomputed", accounts: 12, job: "recompute" });
    expect(new Date(String(entry.time)).toISOString()).toBe(entry.time);
  });

  it("logs an error's name, message, code and stack", () => {
    const lines = capture();
    const error = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    log.error("batch failed", { requestId: "req-12345678", err: error });
    const entry = JSON.parse(lines[0] ?? "{}") as { err: Record<string, unknown>; requestId: string };
    expect(entry.requestId).toBe("req-12345678");
    expect(entry.err).toMatchObject({ name: "Error", message: "database is locked", code: "SQLITE_BUSY" });
    expect(String(entry.err.stack)).toContain("log.test.ts");
  });

  it("never writes a secret: secret-named fields are redacted and write keys masked anywhere", () => {
    const lines = capture();
    log.warn("sign-in failed for ces_abcdefghijklmnopqrstuvwxyz", {
      password: "hunter2",
      headers: { authorization: "Bearer ces_abcdefghijklmnop", "x-forwarded-for": "10.0.0.1" },
      AUTH_SECRET: "s3cr3t",
      err: new Error("key ces_abcdefghijklmnopqrstu is revoked"),
    });
    const line = lines[0] ?? "";
    expect(line).not.toMatch(/hunter2|s3cr3t|abcdefghijklmnop/);
    expect(JSON.parse(line)).toMatchObject({ password: "[redacted]", headers: { authorization: "[redacted]", "x-forwarded-for": "10.0.0.1" } });
  });

  it("leaves names that only share the keys' prefix readable", () => {
    const lines = capture();
    log.error("could not reach database ces_production", { metric: "ces_ingest_events_total", key: "ces_Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n" });
    const entry = JSON.parse(lines[0] ?? "{}") as { msg: string; metric: string; key: string };
    expect(entry.msg).toBe("could not reach database ces_production");
    expect(entry.metric).toBe("ces_ingest_events_total");
    expect(entry.key).toBe("[redacted]");
    log.info("key ces_Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n revoked");
    expect(lines[1]).not.toContain("Ab3dEf6hIj9lMn2pQr5tUv8xYz1b");
  });

  it("writes only lines at or above LOG_LEVEL, and says when LOG_LEVEL is not a level", () => {
    const lines = capture();
    process.env.LOG_LEVEL = "warn";
    log.info("quiet");
    log.warn("loud");
    process.env.LOG_LEVEL = "silent";
    log.error("silent");
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(["loud"]);
    expect(logLevelProblem({ LOG_LEVEL: "verbose" })).toBe("LOG_LEVEL: LOG_LEVEL must be one of debug, info, warn, error, silent");
    expect(logLevelProblem({ LOG_LEVEL: "DEBUG" })).toBeNull();
  });

  it("keeps a well-formed incoming request id and makes one otherwise", () => {
    expect(newRequestId("abc-12345-xyz")).toBe("abc-12345-xyz");
    expect(newRequestId("bad id with spaces")).toMatch(/^[0-9a-f-]{36}$/);
    expect(newRequestId(null)).not.toBe(newRequestId(null));
  });
});
