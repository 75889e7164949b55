import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import { databaseUrl, runOnServer } from "@/scripts/lib/temporary-postgres";
import { MigrationMismatchError } from "./migration-check";
import { createPool, PostgresDb } from "./postgres-client";
import { migratePostgres, POSTGRES_MIGRATIONS_FOLDER } from "./postgres-migrate";
import { migrationBuilds } from "@/test/migration-builds";

/**
 * The PostgreSQL half of db/migrations.test.ts's "a database made by another build": the
 * applied migrations must be this build's first ones, else the server refuses to start with
 * the first difference named, and nothing runs. (Runs in the `postgres` project only.)
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ces-pg-migrations-"));
const adminUrl = inject("postgresAdminUrl");
const opened: { db: PostgresDb; name: string }[] = [];

afterAll(async () => {
  for (const { db, name } of opened) {
    await db.close();
    await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  fs.rmSync(work, { recursive: true, force: true });
});

const { real, upTo, build } = migrationBuilds(POSTGRES_MIGRATIONS_FOLDER, work);
const last = real[real.length - 1];
if (!last) throw new Error("the test needs migrations");
const extra = { tag: `${String(real.length - 1).padStart(4, "0")}_branch_feature`, sql: 'CREATE TABLE "branch_feature" ("id" integer PRIMARY KEY);' };

async function emptyDatabase(): Promise<PostgresDb> {
  const name = `ces_migrations_${randomBytes(5).toString("hex")}`;
  await runOnServer(adminUrl, `CREATE DATABASE ${name}`);
  const url = databaseUrl(adminUrl, name);
  const db = new PostgresDb(createPool(url, { max: 2 }), url);
  opened.push({ db, name });
  return db;
}

async function tables(db: PostgresDb): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    sql`SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('public', 'drizzle') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function refusal(db: PostgresDb, folder?: string): Promise<MigrationMismatchError> {
  try {
    await migratePostgres(db, folder ? { migrationsFolder: folder } : {});
  } catch (error) {
    if (error instanceof MigrationMismatchError) return error;
    throw error;
  }
  throw new Error("the database was migrated");
}

describe("a PostgreSQL database made by another build", () => {
  it("has a migration this build does not have in its place: refused by name, nothing applied, the password not shown", async () => {
    const db = await emptyDatabase();
    await migratePostgres(db, { migrationsFolder: build([...upTo(real.length - 1), { ...extra, when: last.when + 5 }]) });
    const before = await tables(db);
    const error = await refusal(db);
    expect(error.message).toContain(`migration #${real.length} recorded in the database`);
    expect(error.message).toContain(`is not this build's ${last.tag}`);
    expect(error.message).toContain("point DATABASE_URL at an empty database");
    expect(error.message).not.toMatch(/:[^/@:]+@/);
    expect(await tables(db)).toEqual(before);
  });

  it("is further along than this build", async () => {
    const db = await emptyDatabase();
    await migratePostgres(db);
    const error = await refusal(db, build(upTo(real.length - 1)));
    expect(error.message).toContain(`has ${real.length} migrations applied and this build knows ${real.length - 1}`);
  });

  it("is this build's earlier state: the rest is applied in order", async () => {
    const db = await emptyDatabase();
    await migratePostgres(db, { migrationsFolder: build(upTo(real.length - 1)) });
    await migratePostgres(db);
    expect(await db.value<number>(sql`SELECT count(*)::int FROM drizzle.__drizzle_migrations`)).toBe(real.length);
  });
});
