import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./index";
import { MigrationMismatchError, migrationMismatch, readCodeMigrations } from "./migration-check";
import { migrationBuilds } from "@/test/migration-builds";

const dir = path.join(__dirname, "migrations");

describe("migrations", () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".sql"));

  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s never drops or truncates data", (file) => {
    const sql = fs.readFileSync(path.join(dir, file), "utf8").replace(/--.*$/gm, "");
    expect(sql).not.toMatch(/\bDROP\s+(TABLE|COLUMN)\b/i);
    expect(sql).not.toMatch(/\bDELETE\s+FROM\b/i);
    expect(sql).not.toMatch(/\bTRUNCATE\b/i);
  });

  it("are dated in journal order, so drizzle's migrator applies each one (it skips any dated before the newest applied)", () => {
    const code = readCodeMigrations(dir);
    expect(code.map((m) => `${m.tag}.sql`).sort()).toEqual([...files].sort());
    expect(migrationMismatch({ applied: [], otherTables: 0 }, code)).toBeNull();
    for (let i = 1; i < code.length; i++) expect(code[i]?.createdAt, code[i]?.tag).toBeGreaterThan(code[i - 1]?.createdAt ?? 0);
  });
});

/** Builds of the app as migration folders (test/migration-builds.ts). */
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ces-migrations-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const { real, upTo, build } = migrationBuilds(dir, work);
const last = real[real.length - 1];
const secondLast = real[real.length - 2];
if (!last || !secondLast) throw new Error("the test needs at least two migrations");

let databases = 0;
function databaseMadeBy(folder: string): string {
  const file = path.join(work, `db-${++databases}.db`);
  openDatabase(file, { migrationsFolder: folder }).sqlite.close();
  return file;
}

function tables(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true });
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  db.close();
  return names;
}

function refusal(file: string, folder: string): MigrationMismatchError {
  try {
    openDatabase(file, { migrationsFolder: folder }).sqlite.close();
  } catch (error) {
    if (error instanceof MigrationMismatchError) return error;
    throw error;
  }
  throw new Error("the database was opened");
}

const extra = { tag: `${String(real.length - 1).padStart(4, "0")}_branch_feature`, sql: "CREATE TABLE `branch_feature` (`id` integer PRIMARY KEY NOT NULL);" };

describe("a database made by another build", () => {
  it("was migrated by a build whose last migration has another number here: refused by name, not 'table already exists'", () => {
    // The older build: migrations as in this repository.
    const older = databaseMadeBy(build(upTo(real.length)));
    const before = tables(older);
    // This build: a migration from another branch landed first (dated before the older build's
    // last one), and the older build's last migration is renumbered after it.
    const current = build([
      ...upTo(real.length - 1),
      { ...extra, when: last.when - 1 },
      { tag: `${String(real.length).padStart(4, "0")}_${last.tag.slice(5)}`, when: last.when + 1000, sql: fs.readFileSync(path.join(dir, `${last.tag}.sql`), "utf8") },
    ]);
    const error = refusal(older, current);
    expect(error.message).toContain(older);
    expect(error.message).toContain(`migration #${real.length} recorded in the database`);
    expect(error.message).toContain(`this build has ${extra.tag} in that place`);
    expect(error.message).toMatch(/renumbered/);
    // Nothing was applied or recorded.
    expect(tables(older)).toEqual(before);
  });

  it("has a migration this build does not have (a newer build, or a branch)", () => {
    const file = databaseMadeBy(build([...upTo(real.length - 1), { ...extra, when: last.when + 5 }]));
    const before = tables(file);
    const error = refusal(file, build(upTo(real.length)));
    expect(error.message).toContain(`is not this build's ${last.tag}`);
    expect(tables(file)).toEqual(before);
  });

  it("is further along than this build", () => {
    const file = databaseMadeBy(build(upTo(real.length)));
    const error = refusal(file, build(upTo(real.length - 1)));
    expect(error.message).toContain(`has ${real.length} migrations applied and this build knows ${real.length - 1}`);
  });

  it("applied a migration file that has changed since", () => {
    const file = databaseMadeBy(build(upTo(real.length)));
    const edited = build([...upTo(real.length - 1), { tag: last.tag, when: last.when, sql: `${fs.readFileSync(path.join(dir, `${last.tag}.sql`), "utf8")}\n-- edited` }]);
    expect(refusal(file, edited).message).toContain(`is ${last.tag} as it was when it ran, but the file has changed since`);
  });

  it("has tables but no migration records", () => {
    const file = path.join(work, "bare.db");
    const bare = new BetterSqlite3(file);
    bare.exec("CREATE TABLE accounts (id integer PRIMARY KEY)");
    bare.close();
    expect(refusal(file, dir).message).toContain("1 tables but no record of the migrations");
  });

  it("is this build's earlier state: the rest is applied in order", () => {
    const file = databaseMadeBy(build(upTo(real.length - 1)));
    const db = openDatabase(file, { migrationsFolder: dir });
    const applied = db.sqlite.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get();
    db.sqlite.close();
    expect(applied).toBe(real.length);
  });

  it("a journal out of date order is this build's own mistake, named before anything runs", () => {
    const folder = build([...upTo(real.length - 1), { ...extra, when: secondLast.when - 1 }]);
    expect(refusal(path.join(work, "fresh.db"), folder).message).toContain(`${extra.tag} is dated`);
  });
});
