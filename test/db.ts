import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "@/db";

/**
 * A fresh, migrated SQLite file in a temporary directory: each test file owns its data.
 * Returns the database and a cleanup function for afterAll.
 */
export function createTestDatabase(): { db: Database; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-test-"));
  const db = openDatabase(path.join(dir, "test.db"));
  return {
    db,
    cleanup: () => {
      db.sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
