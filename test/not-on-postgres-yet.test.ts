import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, NOT_ON_POSTGRES_YET } from "@/db";
import { setLogSink } from "@/lib/log";
import { startScoreFreshnessLoop } from "@/lib/scoring/server/freshness-loop";

/**
 * While parts of the product still use the synchronous SQLite connection (issue 15), a server
 * with DATABASE_URL must not quietly keep a second database in a SQLite file: those parts
 * refuse, loudly, and create nothing at DATABASE_PATH.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-not-on-pg-"));
const file = path.join(dir, "must-not-exist.db");
const saved = { url: process.env.DATABASE_URL, path: process.env.DATABASE_PATH, level: process.env.LOG_LEVEL };
const lines: string[] = [];

beforeAll(() => {
  process.env.DATABASE_URL = "postgres://ces:secret@127.0.0.1:1/ces";
  process.env.DATABASE_PATH = file;
  process.env.LOG_LEVEL = "warn";
  delete (globalThis as { cesDatabase?: unknown }).cesDatabase;
  setLogSink((line) => lines.push(line));
});
afterAll(() => {
  setLogSink(null);
  for (const [key, value] of [["DATABASE_URL", saved.url], ["DATABASE_PATH", saved.path], ["LOG_LEVEL", saved.level]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("with DATABASE_URL set", () => {
  it("the synchronous SQLite handle refuses with the reason instead of opening DATABASE_PATH", () => {
    expect(() => getDatabase()).toThrow(NOT_ON_POSTGRES_YET);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("the score freshness loop runs on the data layer: it reaches for PostgreSQL, says loudly that it cannot, and opens no SQLite file", async () => {
    const logged = new Promise<void>((resolve) => setLogSink((line) => {
        lines.push(line);
        resolve();
      }),
    );
    startScoreFreshnessLoop();
    await logged;
    expect(fs.existsSync(file)).toBe(false);
    const errors = lines.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === "error");
    expect(errors.map((e) => e.msg)).toEqual(["the score freshness check failed; the next one tries again"]);
  });
});
