import { createHash } from "node:crypto";
import { once } from "node:events";
import { finished as streamFinished } from "node:stream/promises";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { columnKind, fieldEncoder, type ColumnKind } from "./copy-text";
import { POSTGRES_ONLY_COLUMNS } from "./commit-horizon";

/**
 * Copies a SQLite installation into an empty PostgreSQL database of the same schema version
 * and proves the copy: `npm run db:migrate-to-postgres` (scripts/migrate-to-postgres.ts).
 *
 * Generic over the schema: tables, columns, primary keys, indexes and foreign keys come from
 * the target's catalogue, so a table added later is copied without touching this file.
 *
 * Everything happens in one PostgreSQL transaction, committed only after the check: secondary
 * indexes and foreign keys are dropped (and rebuilt from their own definitions afterwards:
 * one sorted build beats row-by-row upkeep), every table is streamed through `COPY … FROM
 * STDIN` in key order (db/copy-text.ts) with its triggers off (a copy is not a change: the
 * aggregate-change log must not fill up), identity sequences continue after the largest
 * copied id, and ANALYZE gives the planner its statistics. The check compares, per table, the
 * row count and a SHA-256 of the rows as the copy read them from SQLite with a SHA-256 of
 * PostgreSQL's own `COPY … TO STDOUT` print-out of what it stored, in the same key order.
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

/** The steps after the rows are in, which take a while on a large installation. */
export type TransferStep = "rebuilding indexes and foreign keys" | "analyzing" | "verifying";

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
    // PostgreSQL's commit order (db/commit-horizon.ts) has no SQLite twin: its columns fill in
    // by their defaults.
    if (POSTGRES_ONLY_COLUMNS[c.table]?.includes(c.name)) continue;
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

/** A column list for SELECTs and COPY. */
const columnList = (table: TableInfo) => table.columns.map((c) => quote(c.name)).join(", ");

/** The key rows are ordered by for the checksum: the primary key, else every column. */
function orderKey(table: TableInfo): TableInfo["columns"] {
  if (table.primaryKey.length === 0) return table.columns;
  return table.primaryKey.map((name) => table.columns.find((c) => c.name === name) ?? { name, pgType: "" });
}

/** SQLite's order: NULLs first, text by its bytes (BINARY, whatever the column declares). */
function sqliteOrderBy(table: TableInfo): string {
  return orderKey(table)
    .map((c) => `${quote(c.name)} COLLATE BINARY`)
    .join(", ");
}

/** The same order in PostgreSQL: the "C" collation compares UTF-8 bytes like SQLite's BINARY. */
function postgresOrderBy(table: TableInfo): string {
  return orderKey(table)
    .map((c) => `${quote(c.name)}${c.pgType === "text" ? ' COLLATE "C"' : ""} NULLS FIRST`)
    .join(", ");
}

function kindsOf(table: TableInfo): ColumnKind[] {
  return table.columns.map((c) => {
    const kind = columnKind(c.pgType);
    if (!kind) throw new Error(`${table.name}.${c.name} is of type ${c.pgType}, which the copy does not know how to move yet (db/copy-text.ts).`);
    return kind;
  });
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

/** About this many characters go to PostgreSQL (and into the hash) at a time. */
const CHUNK_CHARS = 1 << 20;

/**
 * Streams one table from SQLite into `COPY … FROM STDIN`, in key order, and hashes the same
 * rows in the form PostgreSQL will print them back (targetChecksum): one read of the source.
 */
async function copyTable(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  table: TableInfo,
  onProgress: (progress: TransferProgress) => void,
): Promise<{ rows: number; checksum: string }> {
  const kinds = kindsOf(table);
  const encoders = kinds.map((kind, i) => fieldEncoder(kind, `${table.name}.${table.columns[i]?.name ?? i}`));
  // Floats are checked by their bits (db/copy-text.ts): those rows are hashed in a second form.
  const checksumEncoders = kinds.includes("float")
    ? kinds.map((kind, i) => fieldEncoder(kind, `${table.name}.${table.columns[i]?.name ?? i}`, true))
    : null;
  const total = Number(sqlite.prepare(`SELECT count(*) FROM ${quote(table.name)}`).pluck().get());
  const select = sqlite.prepare<unknown[], unknown[]>(`SELECT ${columnList(table)} FROM ${quote(table.name)} ORDER BY ${sqliteOrderBy(table)}`).raw().safeIntegers(true);
  const hash = createHash("sha256");
  const stream = client.query(copyFrom(`COPY ${quote(table.name)} (${columnList(table)}) FROM STDIN`));
  const finished = streamFinished(stream);
  finished.catch(() => undefined); // awaited below; a failure before then is caught here:
  const refusal: { error: Error | null } = { error: null }; // PostgreSQL's, when it refuses a row
  stream.on("error", (error: Error) => {
    refusal.error ??= error;
  });
  let chunk = "";
  let hashed = "";
  let rows = 0;
  const send = async () => {
    const bytes = Buffer.from(chunk, "utf8");
    hash.update(checksumEncoders ? hashed : bytes);
    const ready = stream.write(bytes);
    chunk = "";
    hashed = "";
    onProgress({ table: table.name, copied: rows, total });
    if (refusal.error) throw refusal.error;
    if (!ready) await once(stream, "drain");
  };
  try {
    for (const row of select.iterate()) {
      let line = encoders[0]?.(row[0]) ?? "";
      for (let i = 1; i < row.length; i++) line += `\t${encoders[i]?.(row[i]) ?? ""}`;
      chunk += `${line}\n`;
      if (checksumEncoders) {
        let lineHashed = checksumEncoders[0]?.(row[0]) ?? "";
        for (let i = 1; i < row.length; i++) lineHashed += `\t${checksumEncoders[i]?.(row[i]) ?? ""}`;
        hashed += `${lineHashed}\n`;
      }
      rows++;
      if (chunk.length >= CHUNK_CHARS) await send();
    }
    if (chunk.length > 0 || rows === 0) await send();
    stream.end();
    await finished;
  } catch (error) {
    const refused = refusal.error; // its context names the line and column
    if (refused) {
      const where = "where" in refused && typeof refused.where === "string" ? ` (${refused.where})` : "";
      throw new Error(`${table.name}: ${refused.message}${where}`, { cause: refused });
    }
    // Our side failed (a value the column cannot hold): CopyFail ends the COPY on the server.
    stream.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  return { rows, checksum: hash.digest("hex") };
}

/**
 * Secondary indexes and foreign keys, dropped before the copy and rebuilt from their own
 * definitions after it: one sorted build per index, and one join per foreign key, beats upkeep
 * row by row. Primary keys and unique constraints stay: rows arrive in key order, so their
 * upkeep is cheap and runs in PostgreSQL while this process reads and encodes the next rows
 * (measured on the 500-account demo: dropping and rebuilding them too made the whole copy
 * about 1 s slower, 9-10 s instead of 8-9 s), and they catch a duplicate as it arrives.
 */
interface Deferred {
  indexes: { name: string; definition: string }[];
  foreignKeys: { table: string; name: string; definition: string }[];
}

async function deferredIndexesAndKeys(client: pg.ClientBase): Promise<Deferred> {
  const indexes = await client.query<{ name: string; definition: string }>(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relnamespace = 'public'::regnamespace AND t.relkind = 'r'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
     ORDER BY 1`);
  const foreignKeys = await client.query<{ table: string; name: string; definition: string }>(`
    SELECT conrelid::regclass::text AS "table", conname AS name, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
     WHERE contype = 'f' AND connamespace = 'public'::regnamespace
     ORDER BY 1, 2`);
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/**
 * Copies every table inside one PostgreSQL transaction, rebuilds what was set aside, continues
 * the identities, refreshes the planner's statistics and checks the copy (verify) before
 * COMMIT: a failure anywhere leaves the target as empty as it was.
 */
export async function copyTables(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  tables: TableInfo[],
  onProgress: (progress: TransferProgress) => void = () => undefined,
  verify: (sources: Map<string, { rows: number; checksum: string }>) => Promise<void> = async () => undefined,
  onStep: (step: TransferStep) => void = () => undefined,
): Promise<void> {
  await client.query("BEGIN");
  try {
    // Index builds sort in memory up to this much (per build), instead of spilling to disk.
    await client.query("SET LOCAL maintenance_work_mem = '256MB'");
    for (const table of tables) kindsOf(table); // refuse an unknown column type before any work
    const deferred = await deferredIndexesAndKeys(client);
    for (const key of deferred.foreignKeys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT ${quote(key.name)}`);
    for (const index of deferred.indexes) await client.query(`DROP INDEX ${index.name}`);
    const sources = new Map<string, { rows: number; checksum: string }>();
    for (const table of tables) {
      await client.query(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`);
      if (table.name === "scoring_settings") await client.query(`DELETE FROM ${quote(table.name)}`);
      sources.set(table.name, await copyTable(sqlite, client, table, onProgress));
      await client.query(`ALTER TABLE ${quote(table.name)} ENABLE TRIGGER USER`);
      for (const column of table.identity) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quote(column)}) FROM ${quote(table.name)}), 0) + 1, false)`,
          [quote(table.name), column],
        );
      }
    }
    onStep("rebuilding indexes and foreign keys");
    for (const index of deferred.indexes) await client.query(index.definition);
    for (const key of deferred.foreignKeys) await client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT ${quote(key.name)} ${key.definition}`);
    onStep("analyzing");
    await client.query("ANALYZE");
    onStep("verifying");
    await verify(sources);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/** PostgreSQL's own print-out of the stored rows, in the source's order, hashed as it streams. */
async function targetChecksum(client: pg.ClientBase, table: TableInfo): Promise<{ rows: number; checksum: string }> {
  const kinds = kindsOf(table);
  const columns = table.columns.map((c, i) => (kinds[i] === "float" ? `float8send(${quote(c.name)})` : quote(c.name))).join(", ");
  const stream = client.query(copyTo(`COPY (SELECT ${columns} FROM ${quote(table.name)} ORDER BY ${postgresOrderBy(table)}) TO STDOUT`));
  const hash = createHash("sha256");
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return { rows: stream.rowCount, checksum: hash.digest("hex") };
}

/** Row counts and checksums of every table on both sides (the source's, taken as it was copied). */
export async function verifyTables(
  client: pg.ClientBase,
  tables: TableInfo[],
  sources: Map<string, { rows: number; checksum: string }>,
): Promise<TableReport[]> {
  const reports: TableReport[] = [];
  for (const table of tables) {
    const source = sources.get(table.name);
    if (!source) throw new Error(`${table.name} was not copied`);
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
 * even while a server still writes to it); every table is copied and verified in one
 * PostgreSQL transaction, committed only when every table matches.
 */
export async function transferSqliteToPostgres(
  sqlite: BetterSqlite3.Database,
  client: pg.ClientBase,
  onProgress?: (progress: TransferProgress) => void,
  onStep?: (step: TransferStep) => void,
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
    let reports: TableReport[] = [];
    await copyTables(sqlite, client, tables, onProgress, async (sources) => {
      reports = await verifyTables(client, tables, sources);
      const mismatched = reports.filter((r) => r.sourceChecksum !== r.targetChecksum).map((r) => r.table);
      if (mismatched.length > 0) throw new Error(`The copy differs from the source in ${mismatched.join(", ")}; nothing was kept.`);
    }, onStep);
    return { tables: reports, millis: Math.round(performance.now() - started) };
  } finally {
    sqlite.exec("COMMIT");
  }
}
