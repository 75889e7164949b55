import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/db";
import type { Db } from "./client";
import { POSTGRES_ONLY_COLUMNS, POSTGRES_ONLY_INDEXES } from "./commit-horizon";
import { openDatabase } from "./index";

/**
 * The catalogue half of the schema drift check (the compile-time half is
 * db/schema-drift.types.ts): both databases, migrated from scratch by their own migrations,
 * have the same tables, columns (type family, nullability, default), primary keys, indexes
 * (columns or expressions, uniqueness, partial or not), foreign keys and triggers. Runs in
 * the `postgres` test project only, where both databases exist.
 */
interface Column {
  type: "integer" | "float" | "text" | "blob";
  notNull: boolean;
  default: string | null;
}

interface Catalogue {
  tables: Record<string, Record<string, Column>>;
  primaryKeys: Record<string, string[]>;
  /** index name → "unique? (columns or expressions) where?" */
  indexes: Record<string, string>;
  foreignKeys: string[];
  triggers: string[];
}

function typeFamily(declared: string): Column["type"] {
  const t = declared.toLowerCase();
  if (/int/.test(t)) return "integer";
  if (/real|double|float|numeric/.test(t)) return "float";
  if (/blob|bytea/.test(t)) return "blob";
  if (/text|char/.test(t)) return "text";
  throw new Error(`unknown column type ${declared}`);
}

/** Defaults compared by meaning: "now in ms", numbers, or quoted text. */
function normaliseDefault(value: string | null): string | null {
  if (value === null) return null;
  const v = value.trim().replace(/^\((.*)\)$/s, "$1");
  if (/unixepoch|extract\(epoch/i.test(v)) return "now-ms";
  if (/^true$/i.test(v)) return "1";
  if (/^false$/i.test(v)) return "0";
  const text = /^'(.*)'(::[a-z ]+)?$/s.exec(v);
  if (text) return `'${text[1] ?? ""}'`;
  return v;
}

/** Index columns as written: names bare, expressions without quotes, spaces or casts. */
function normaliseIndexPart(part: string): string {
  let text = part.replace(/["`]/g, "").replace(/::[a-z ]+/g, "").replace(/\s+/g, "").toLowerCase();
  while (/^\(.*\)$/.test(text) && splitIndexParts(text.slice(1, -1)).length === 1 && balanced(text.slice(1, -1))) text = text.slice(1, -1);
  return text;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}

function sqliteCatalogue(file: string): Catalogue {
  const s = new BetterSqlite3(file, { readonly: true });
  try {
    const catalogue: Catalogue = { tables: {}, primaryKeys: {}, indexes: {}, foreignKeys: [], triggers: [] };
    const tables = s
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const table of tables) {
      const columns = s.prepare("SELECT name, type, \"notnull\" AS \"notNull\", dflt_value AS dflt, pk FROM pragma_table_info(?)").all(table) as Array<{
        name: string;
        type: string;
        notNull: number;
        dflt: string | null;
        pk: number;
      }>;
      catalogue.tables[table] = Object.fromEntries(
        columns.map((c) => [c.name, { type: typeFamily(c.type), notNull: c.notNull === 1 || c.pk > 0, default: normaliseDefault(c.dflt) }]),
      );
      catalogue.primaryKeys[table] = columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const indexes = s.prepare("SELECT name, \"unique\" AS isUnique, origin, partial FROM pragma_index_list(?)").all(table) as Array<{
        name: string;
        isUnique: number;
        origin: string;
        partial: number;
      }>;
      for (const index of indexes) {
        if (index.origin === "pk") continue;
        const definition = s.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index.name) as string | null;
        const parts = definition
          ? splitIndexParts(/\((.*)\)(\s+WHERE\s+.*)?$/is.exec(definition)?.[1] ?? "")
          : (s.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").pluck().all(index.name) as string[]);
        catalogue.indexes[index.name] = `${index.isUnique ? "unique " : ""}(${parts.map(normaliseIndexPart).join(",")})${index.partial ? " partial" : ""}`;
      }
      const keys = s.prepare("SELECT \"from\" AS column, \"table\" AS target, \"to\" AS targetColumn, on_delete AS onDelete FROM pragma_foreign_key_list(?)").all(table) as Array<{
        column: string;
        target: string;
        targetColumn: string;
        onDelete: string;
      }>;
      for (const key of keys) catalogue.foreignKeys.push(`${table}.${key.column} → ${key.target}.${key.targetColumn} on delete ${key.onDelete.toLowerCase()}`);
    }
    catalogue.triggers = (s.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[]).sort();
    catalogue.foreignKeys.sort();
    return catalogue;
  } finally {
    s.close();
  }
}

/** Splits "a, (b - c), d" at the top-level commas. */
function splitIndexParts(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of list) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

async function postgresCatalogue(db: Db): Promise<Catalogue> {
  const catalogue: Catalogue = { tables: {}, primaryKeys: {}, indexes: {}, foreignKeys: [], triggers: [] };
  const columns = await db.all<{ table: string; name: string; type: string; nullable: string; dflt: string | null; identity: string }>(sql`
    SELECT c.table_name AS "table", c.column_name AS name, c.data_type AS type, c.is_nullable AS nullable,
           c.column_default AS dflt, c.is_identity AS identity
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`);
  for (const c of columns) {
    // PostgreSQL's commit order (db/commit-horizon.ts) has no SQLite twin, by design.
    if (POSTGRES_ONLY_COLUMNS[c.table]?.includes(c.name)) continue;
    catalogue.tables[c.table] ??= {};
    const table = catalogue.tables[c.table];
    if (table) table[c.name] = { type: typeFamily(c.type), notNull: c.nullable === "NO", default: c.identity === "YES" ? null : normaliseDefault(c.dflt) };
  }
  const keys = await db.all<{ table: string; column: string; position: number }>(sql`
    SELECT tc.table_name AS "table", k.column_name AS "column", k.ordinal_position AS position
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
     WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
     ORDER BY tc.table_name, k.ordinal_position`);
  for (const key of keys) (catalogue.primaryKeys[key.table] ??= []).push(key.column);
  for (const table of Object.keys(catalogue.tables)) catalogue.primaryKeys[table] ??= [];
  const indexes = await db.all<{ name: string; definition: string; isPrimary: number }>(sql`
    SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition, CASE WHEN x.indisprimary THEN 1 ELSE 0 END AS "isPrimary"
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE n.nspname = 'public'`);
  for (const index of indexes) {
    if (index.isPrimary === 1 || POSTGRES_ONLY_INDEXES.includes(index.name)) continue;
    const match = /^CREATE (UNIQUE )?INDEX \S+ ON \S+ USING \w+ \((.*?)\)( WHERE .*)?$/s.exec(index.definition);
    if (!match) throw new Error(`unexpected index definition ${index.definition}`);
    const parts = splitIndexParts(match[2] ?? "");
    catalogue.indexes[index.name] = `${match[1] ? "unique " : ""}(${parts.map(normaliseIndexPart).join(",")})${match[3] ? " partial" : ""}`;
  }
  const foreignKeys = await db.all<{ table: string; column: string; target: string; targetColumn: string; onDelete: string }>(sql`
    SELECT kcu.table_name AS "table", kcu.column_name AS "column", ccu.table_name AS target, ccu.column_name AS "targetColumn",
           rc.delete_rule AS "onDelete"
      FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name AND ccu.constraint_schema = rc.constraint_schema
     WHERE rc.constraint_schema = 'public'`);
  catalogue.foreignKeys = foreignKeys.map((k) => `${k.table}.${k.column} → ${k.target}.${k.targetColumn} on delete ${k.onDelete.toLowerCase()}`).sort();
  const triggers = await db.all<{ name: string }>(sql`SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = 'public'`);
  catalogue.triggers = triggers.map((t) => t.name).sort();
  return catalogue;
}

let db: Db;
let cleanup: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-drift-"));
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the SQLite and PostgreSQL schemas", () => {
  it("have not drifted apart", async () => {
    const file = path.join(dir, "drift.db");
    openDatabase(file).sqlite.close();
    const lite = sqliteCatalogue(file);
    const pg = await postgresCatalogue(db);
    expect(Object.keys(pg.tables).sort()).toEqual(Object.keys(lite.tables).sort());
    for (const table of Object.keys(lite.tables)) {
      expect({ table, columns: pg.tables[table] }).toEqual({ table, columns: lite.tables[table] });
      expect({ table, primaryKey: pg.primaryKeys[table] }).toEqual({ table, primaryKey: lite.primaryKeys[table] });
    }
    expect(pg.indexes).toEqual(lite.indexes);
    expect(pg.foreignKeys).toEqual(lite.foreignKeys);
    // PostgreSQL splits SQLite's one update trigger on account_tags (old and new row) in two.
    expect([...new Set(pg.triggers.map((t) => t.replace(/_(old|new)$/, "")))].sort()).toEqual(lite.triggers);
  });
});
