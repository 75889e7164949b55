import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "@/db";
import { setLogSink } from "@/lib/log";
import { assertDatabaseReady } from "@/lib/operations/server/startup-checks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-startup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("server start-up", () => {
  it("stops with the reason when the database was migrated by another build, before any request", async () => {
    const file = path.join(dir, "other-build.db");
    const db = openDatabase(file);
    // Another build recorded its own migration after this build's.
    db.sqlite.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('0123456789abcdef', ?)").run(Date.UTC(2030, 0, 1));
    db.sqlite.close();

    const previousPath = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = file;
    delete (globalThis as { cesDatabase?: unknown }).cesDatabase;
    delete (globalThis as { cesDb?: unknown }).cesDb;
    const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "error";
    try {
      await expect(assertDatabaseReady()).rejects.toThrow("exit 1");
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0] ?? "{}") as { level?: string; msg?: string };
      expect(entry.level).toBe("error");
      const message = String(entry.msg);
      expect(message).toMatch(/^Refusing to start: The database .*other-build\.db does not match this build's migrations/);
      expect(message).toContain("migration #");
      expect(message).toContain("0123456789ab");
    } finally {
      exit.mockRestore();
      setLogSink(null);
      if (previousLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previousLevel;
      process.env.DATABASE_PATH = previousPath;
      delete (globalThis as { cesDatabase?: unknown }).cesDatabase;
      delete (globalThis as { cesDb?: unknown }).cesDb;
    }
  });

  it("checks the PostgreSQL database DATABASE_URL names, not the SQLite file", async () => {
    const previousUrl = process.env.DATABASE_URL;
    const previousPath = process.env.DATABASE_PATH;
    // Nothing listens on port 1; the SQLite path would open fine.
    process.env.DATABASE_URL = "postgres://ces:secret@127.0.0.1:1/ces";
    process.env.DATABASE_PATH = path.join(dir, "unused.db");
    delete (globalThis as { cesDb?: unknown }).cesDb;
    const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Error(`exit ${String(code)}`);
    });
    const lines: string[] = [];
    setLogSink((line) => lines.push(line));
    const previousLevel = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = "error";
    try {
      await expect(assertDatabaseReady()).rejects.toThrow("exit 1");
      const entry = JSON.parse(lines[0] ?? "{}") as { msg?: string };
      expect(String(entry.msg)).toMatch(/^Refusing to start: .*ECONNREFUSED/);
      expect(fs.existsSync(path.join(dir, "unused.db"))).toBe(false);
    } finally {
      exit.mockRestore();
      setLogSink(null);
      if (previousLevel === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previousLevel;
      if (previousUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousUrl;
      process.env.DATABASE_PATH = previousPath;
      delete (globalThis as { cesDb?: unknown }).cesDb;
    }
  });
});
