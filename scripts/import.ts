/**
 * npm run import -- --kind accounts|events|outcomes FILE.csv [--dry-run] [--chunk-rows N] [--rejects FILE]
 *
 * Streams a CSV file of any size into the database named by DATABASE_URL (PostgreSQL) or
 * DATABASE_PATH (SQLite), with a progress
 * bar. Rows with problems are skipped, counted by reason, and ALL written to a rejects file
 * beside the input (FILE.rejects.csv: line, column and reason, then the row as it was) to
 * fix and import; everything else is stored in chunks of one transaction each. Safe to run
 * again, also on an edited file: rows already stored count once.
 * Exit code 0 when every row was taken, 1 when some had problems, 2 for bad arguments.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDb } from "@/db";
import { databaseConfigFromEnv } from "@/db/env";
import { IMPORT_KINDS } from "@/lib/ingestion/csv";
import { describeReason, rejectsPathFor } from "@/lib/ingestion/rejects";
import { importCsvStream } from "@/lib/ingestion/server/import/csv-stream";
import { createProgressBar } from "./progress-bar";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: "string" },
    file: { type: "string" },
    "dry-run": { type: "boolean" },
    "chunk-rows": { type: "string" },
    rejects: { type: "string" },
    quiet: { type: "boolean" },
  },
});

const argsSchema = z
  .object({
    kind: z.enum(IMPORT_KINDS, { error: "--kind must be accounts, events or outcomes" }),
    file: z
      .string({ error: "Name the CSV file: npm run import -- --kind events events.csv" })
      .refine((f) => fs.existsSync(f) && fs.statSync(f).isFile(), "the file does not exist"),
    dryRun: z.boolean(),
    chunkRows: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    rejects: z.string().min(1).optional(),
    quiet: z.boolean(),
  })
  .refine((a) => path.resolve(a.rejects ?? rejectsPathFor(a.file)) !== path.resolve(a.file), {
    message: "the rejects file must not be the input file; name another with --rejects",
    path: ["rejects"],
  })
  .refine(
    (a) => {
      try {
        fs.accessSync(path.dirname(path.resolve(a.rejects ?? rejectsPathFor(a.file))), fs.constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
    { message: "the rejects file cannot be written there (rows with problems go beside the input); name a writable place with --rejects", path: ["rejects"] },
  );

const parsed = argsSchema.safeParse({
  kind: values.kind,
  file: values.file ?? positionals[0],
  dryRun: values["dry-run"] ?? false,
  chunkRows: values["chunk-rows"],
  rejects: values.rejects,
  quiet: values.quiet ?? false,
});
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n"));
  console.error("Usage: npm run import -- --kind accounts|events|outcomes FILE.csv [--dry-run] [--chunk-rows N] [--rejects FILE]");
  process.exit(2);
}
const args = parsed.data;
const count = (n: number) => n.toLocaleString("en-US");
const LISTED_PROBLEMS = 20;

async function main(): Promise<number> {
  const config = databaseConfigFromEnv();
  const databaseFile = config.kind === "sqlite" ? config.file : "PostgreSQL (DATABASE_URL)";
  const db = await openDb(config);
  const size = fs.statSync(args.file).size;
  const input = fs.createReadStream(args.file, { highWaterMark: 1024 * 1024 });
  const bar = args.quiet ? null : createProgressBar();
  console.error(`${args.dryRun ? "Checking" : "Importing"} ${args.kind} from ${args.file} (${(size / 1024 / 1024).toFixed(1)} MB) into ${databaseFile}`);

  const summary = await importCsvStream(db, {
    kind: args.kind,
    input,
    actor: { id: "cli", name: `CLI (${process.env.USER ?? "unknown user"})` },
    fileName: path.basename(args.file),
    chunkRows: args.chunkRows,
    dryRun: args.dryRun,
    rejectsFile: args.rejects ?? rejectsPathFor(args.file),
    // The bytes of the rows committed so far, not of what was read ahead.
    onProgress: ({ rows, bytes }) => bar?.update(bytes, size, rows),
  });
  await db.close();
  // Every row is committed (and the scores are in step): now, and only now, 100 %.
  if (summary.fileProblems.length === 0) bar?.finish(size, size, summary.rows);

  for (const p of summary.fileProblems) console.error(`error: ${p}`);
  if (summary.problemCount > 0) {
    for (const p of summary.problems.slice(0, LISTED_PROBLEMS)) console.error(`line ${p.line}${p.field ? `, ${p.field}` : ""}: ${p.message}`);
    if (summary.problemCount > LISTED_PROBLEMS) console.error(`…and ${count(summary.problemCount - LISTED_PROBLEMS)} more rows with problems`);
    console.error(`Rows with problems by reason${args.dryRun ? " (nothing was stored)" : " (skipped)"}:`);
    const width = count(summary.problemsByReason[0]?.count ?? 0).length;
    for (const entry of summary.problemsByReason) console.error(`  ${count(entry.count).padStart(width)}  ${describeReason(entry)}`);
    if (summary.rejectsFile) {
      const relative = path.relative(process.cwd(), summary.rejectsFile);
      const shown = relative.startsWith("..") || path.isAbsolute(relative) ? summary.rejectsFile : relative;
      console.error(`All ${count(summary.problemCount)} rows with problems, with their line, column and reason: ${summary.rejectsFile}`);
      console.error(
        args.dryRun
          ? "Fix them in the file before importing it (or import it, then fix and import that rejects file)."
          : `Fix them there and import that file; rows already stored count once: npm run import -- --kind ${args.kind} ${shown}`,
      );
    }
  }

  const seconds = summary.millis / 1000;
  const verb = args.dryRun ? "valid" : "stored";
  console.log(
    `${count(summary.rows)} rows in ${seconds.toFixed(1)} s (${count(Math.round(summary.rows / Math.max(seconds, 0.001)))} rows/s): ` +
      `${count(summary.accepted)} ${verb}, ${count(summary.duplicates)} already there, ${count(summary.problemCount)} with problems` +
      (args.kind === "accounts" && !args.dryRun ? ` (${summary.accountsCreated} accounts created, ${summary.accountsUpdated} updated)` : "") +
      (args.kind === "outcomes" && !args.dryRun ? ` (${summary.outcomesCreated} outcomes recorded, ${summary.outcomesUpdated} corrected)` : ""),
  );
  return summary.fileProblems.length > 0 || summary.problemCount > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error && error.name === "MigrationMismatchError" ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
