import { createHash } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";

/**
 * Copies a SQLite installation into an empty PostgreSQL database of the same schema version
 * and proves the copy: `npm run db:migrate-to-postgres` (scripts/migrate-to-postgres.ts).
 *
 * Generic over the schema: tables, columns, primary keys and foreign keys come from the
 * target's catalogue, so a table added later is copied without touching this file. Tables are
 * copied parents first (foreign keys hold at every step) with their triggers off (a copy is
 * not a change: the aggregate-change log must not fill up), each in key order, in batches of
 * one `INSERT … SELECT * FROM unnest(…)` with one array per column. Identity sequences then
 * continue after the largest copied id. Verification reads both databases again, in key
 * order, and compares row counts and a SHA-256 over each table's normalised rows.
 */
export interface TableInfo {
  name: string;
  columns: { name: string; pgType: string }[];
  primaryKey: string[];
  /** Tables this one references. */
  references: string[];
  /** Columns filled by an identity sequence. */
  identity: string[];
}

export interface TableReport {
  table: string;
  rows: number;
  sourceChecksum: string;
  targetChecksum: string;
}

export interface TransferProgress {
  table: string;
  copied: number;
  total: number;
}

const BATCH_ROWS = 5000;

/** The application's tables in the target, parents before children. */
export async function targetTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const columns = await client.query<{ table: string; name: string; type: string; identity: string }>(`
    SELECT c.table_name AS "table", c.column_name AS name, format_type(a.atttypid, a.atttypmod) AS type, c.is_identity AS identity
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name
     WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`);
  const keys = await client.query<{ table: string; column: string }>(`
    SELECT tc.table_name AS "table", k.column_name AS "column"
      FROM information_schema.table_constraints tc
      JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
     WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'
     ORDER BY tc.table_name, k.ordinal_position`);
  const references = await client.query<{ table: string; target: string }>(`
    SELECT DISTINCT tc.table_name AS "table", ccu.table_name AS target
      FROM information_schema.table_constraints tc
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
     WHERE tc.table_schema = 'public' AND tc.constraint_type = 'FOREIGN KEY'`);
  const tables = new Map<string, TableInfo>();
  for (const c of columns.rows) {
    let table = tables.get(c.table);
    if (!table) {
      table = { name: c.table, columns: [], primaryKey: [], references: [], identity: [] };
      tables.set(c.table, table);
    }
    table.columns.push({ name: c.name, pgType: c.type });
    if (c.identity === "YES") table.identity.push(c.name);
  }
  for (const k of keys.rows) tables.get(k.table)?.primaryKey.push(k.column);
  for (const r of references.rows) if (r.target !== r.table) tables.get(r.table)?.references.push(r.target);
  return parentsFirst([...tables.values()]);
}

function parentsFirst(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: TableInfo) => {
    const seen = state.get(table.name);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`foreign keys form a cycle through ${table.name}`);
    state.set(table.name, "visiting");
    for (const parent of table.references) {
      const info = byName.get(parent);
      if (info) visit(info);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table);
  return ordered;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function orderBy(table: TableInfo): string {
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  return key.map(quote).join(", ");
}

/** A value as stored in SQLite, in the form PostgreSQL's column takes. */
function toTarget(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** One row's canonical text for the checksum: the same on both sides for the same data. */
function canonical(row: readonly unknown[]): string {
  return JSON.stringify(
    row.map((v) => {
      if (v === null || v === undefined) return null;
      if (Buffer.isBuffer(v)) return `blob:${v.toString("hex")}`;
      if (v instanceof Uint8Array) return `blob:${Buffer.from(v).toString("hex")}`;
      if (typeof v === "bigint") return Number(v);
      return v;
    }),
  );
}

/** Whether the target holds any application row (a copy goes into an empty database only). */
export async function nonEmptyTables(client: pg.ClientBase, tables: TableInfo[]): Promise<string[]> {
  const full: string[] = [];
  for (const table of tables) {
    // scoring_settings always holds its one row after migration; it is overwritten by the copy.
    if (table.name === "scoring_settings") continue;
    const result = await client.query(`SELECT EXISTS (SELECT 1 FROM ${quote(table.name)}) AS full`);
    if (result.rows[0]?.full === true) full.push(table.name);
  }
  return full;
}

/** Names of SQLite's application tables (drizzle's bookkeeping and SQLite's own excluded). */
export function sourceTables(sqlite: BetterSqlite3.Database): string[] {
  return sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .pluck()
    .all()
    .filter((name): name is string => typeof name === "string");
}

export async function copyTables(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  tables: TableInfo[],
  onProgress: (progress: TransferProgress) => void = () => undefined,
): Promise<void> {
  await client.query("BEGIN");
  try {
    for (const table of tables) {
      await client.query(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`);
      if (table.name === "scoring_settings") await client.query(`DELETE FROM ${quote(table.name)}`);
      const total = Number(sqlite.prepare(`SELECT count(*) FROM ${quote(table.name)}`).pluck().get());
      const names = table.columns.map((c) => c.name);
      const select = sqlite.prepare(`SELECT ${names.map(quote).join(", ")} FROM ${quote(table.name)} ORDER BY ${orderBy(table)}`).raw();
      const insert = `INSERT INTO ${quote(table.name)} (${names.map(quote).join(", ")})
        SELECT * FROM unnest(${table.columns.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(", ")})`;
      let batch: unknown[][] = table.columns.map(() => []);
      let inBatch = 0;
      let copied = 0;
      const flush = async () => {
        if (inBatch === 0) return;
        await client.query(insert, batch);
        copied += inBatch;
        onProgress({ table: table.name, copied, total });
        batch = table.columns.map(() => []);
        inBatch = 0;
      };
      for (const row of select.iterate() as IterableIterator<unknown[]>) {
        row.forEach((value, i) => batch[i]?.push(toTarget(value)));
        if (++inBatch >= BATCH_ROWS) await flush();
      }
      await flush();
      if (copied === 0) onProgress({ table: table.name, copied: 0, total });
      await client.query(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER USER`);
      for (const column of table.identity) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quote(column)}) FROM ${quote(table.name)}), 0) + 1, false)`,
          [table.name, column],
        );
      }
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

async function targetChecksum(client: pg.ClientBase, table: TableInfo): Promise<{ rows: number; checksum: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  const names = table.columns.map((c) => quote(c.name)).join(", ");
  const key = table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
  let after: unknown[] | null = null;
  for (;;) {
    const keyList = key.map(quote).join(", ");
    const where = after ? `WHERE (${keyList}) > (${key.map((_, i) => `$${i + 1}`).join(", ")})` : "";
    const result: pg.QueryResult<unknown[]> = await client.query({
      text: `SELECT ${names} FROM ${quote(table.name)} ${where} ORDER BY ${keyList} LIMIT ${BATCH_ROWS}`,
      values: after ?? [],
      rowMode: "array",
    });
    for (const row of result.rows) hash.update(canonical(row.map((v, i) => normaliseTarget(v, table.columns[i]?.pgType ?? ""))) + "\n");
    rows += result.rows.length;
    if (result.rows.length < BATCH_ROWS) break;
    const last = result.rows[result.rows.length - 1];
    if (!last) break;
    after = key.map((k) => last[table.columns.findIndex((c) => c.name === k)]);
  }
  return { rows, checksum: hash.digest("hex") };
}

/** pg returns int8 and numeric as text by default: compare them as numbers. */
function normaliseTarget(value: unknown, pgType: string): unknown {
  if (typeof value === "string" && (pgType === "bigint" || pgType.startsWith("numeric"))) return Number(value);
  return value;
}

function sourceChecksum(sqlite: BetterSqlite3.Database, table: TableInfo): { rows: number; checksum: string } {
  const hash = createHash("sha256");
  let rows = 0;
  const names = table.columns.map((c) => quote(c.name)).join(", ");
  const select = sqlite.prepare(`SELECT ${names} FROM ${quote(table.name)} ORDER BY ${orderBy(table)}`).raw();
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    hash.update(canonical(row.map((v) => (typeof v === "bigint" ? Number(v) : v))) + "\n");
    rows++;
  }
  return { rows, checksum: hash.digest("hex") };
}

/** Row counts and checksums of every table on both sides. */
export async function verifyTables(sqlite: BetterSqlite3.Database, client: pg.ClientBase, tables: TableInfo[]): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const table of tables) {
    const source = sourceChecksum(sqlite, table);
    const target = await targetChecksum(client, table);
    if (source.rows !== target.rows) {
      throw new Error(`${table.name}: ${source.rows} rows in SQLite but ${target.rows} in PostgreSQL`);
    }
    reports.push({ table: table.name, rows: source.rows, sourceChecksum: source.checksum, targetChecksum: target.checksum });
  }
  return reports;
}

export interface TransferResult {
  tables: TableReport[];
  millis: number;
}

/**
 * The whole move: the target is migrated to this build's schema, must hold the same tables as
 * the source and no rows; the source is read in one read transaction (a consistent snapshot
 * even while a server still writes to it); every table is copied, then verified.
 */
export async function transferSqliteToPostgres(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  onProgress?: (progress: TransferProgress) => void,
): Promise<TransferResult> {
  const started = performance.now();
  const tables = await targetTables(client);
  const source = new Set(sourceTables(sqlite));
  const target = new Set(tables.map((t) => t.name));
  const missing = [...source].filter((t) => !target.has(t));
  const extra = [...target].filter((t) => !source.has(t));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `The two databases are at different schema versions (only in SQLite: ${missing.join(", ") || "none"}; only in PostgreSQL: ${extra.join(", ") || "none"}). Run this build against both first.`,
    );
  }
  const full = await nonEmptyTables(client, tables);
  if (full.length > 0) {
    throw new Error(`The target database is not empty (rows in ${full.join(", ")}): a copy goes into an empty database only.`);
  }
  sqlite.exec("BEGIN");
  try {
    await copyTables(sqlite, client, tables, onProgress);
    const reports = await verifyTables(sqlite, client, tables);
    const mismatched = reports.filter((r) => r.sourceChecksum !== r.targetChecksum).map((r) => r.table);
    if (mismatched.length > 0) throw new Error(`The copy differs from the source in ${mismatched.join(", ")}`);
    return { tables: reports, millis: Math.round(performance.now() - started) };
  } finally {
    sqlite.exec("COMMIT");
  }
}
