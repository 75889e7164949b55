/**
 * npm run import -- --kind accounts|events|outcomes FILE.csv [--dry-run] [--chunk-rows N]
 *
 * Streams a CSV file of any size into the database named by DATABASE_PATH, with a progress
 * bar. Rows with problems are reported by line and skipped; everything else is stored in
 * chunks of one transaction each. Safe to run again: rows already stored count once.
 * Exit code 0 when every row was taken, 1 when some had problems, 2 for bad arguments.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "@/db";
import { databasePathFromEnv } from "@/db/env";
import { IMPORT_KINDS } from "@/lib/ingest/csv";
import { importCsvStream } from "@/lib/server/import/csv-stream";
import { createProgressBar } from "./progress-bar";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    kind: { type: "string" },
    file: { type: "string" },
    "dry-run": { type: "boolean" },
    "chunk-rows": { type: "string" },
    quiet: { type: "boolean" },
  },
});

const argsSchema = z.object({
  kind: z.enum(IMPORT_KINDS, { error: "--kind must be accounts, events or outcomes" }),
  file: z
    .string({ error: "Name the CSV file: npm run import -- --kind events events.csv" })
    .refine((f) => fs.existsSync(f) && fs.statSync(f).isFile(), "the file does not exist"),
  dryRun: z.boolean(),
  chunkRows: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  quiet: z.boolean(),
});

const parsed = argsSchema.safeParse({
  kind: values.kind,
  file: values.file ?? positionals[0],
  dryRun: values["dry-run"] ?? false,
  chunkRows: values["chunk-rows"],
  quiet: values.quiet ?? false,
});
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("\n"));
  console.error("Usage: npm run import -- --kind accounts|events|outcomes FILE.csv [--dry-run] [--chunk-rows N]");
  process.exit(2);
}
const args = parsed.data;

async function main(): Promise<number> {
  const databaseFile = databasePathFromEnv();
  const db = openDatabase(databaseFile);
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
    onProgress: ({ rows }) => bar?.update(input.bytesRead, size, rows),
  });
  bar?.update(size, size, summary.rows);
  bar?.finish();
  db.sqlite.close();

  for (const p of summary.fileProblems) console.error(`error: ${p}`);
  for (const p of summary.problems.slice(0, 50)) console.error(`line ${p.line}${p.field ? `, ${p.field}` : ""}: ${p.message}`);
  if (summary.problemCount > 50) console.error(`…and ${(summary.problemCount - 50).toLocaleString("en-US")} more rows with problems`);

  const seconds = summary.millis / 1000;
  const verb = args.dryRun ? "valid" : "stored";
  console.log(
    `${summary.rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s (${Math.round(summary.rows / Math.max(seconds, 0.001)).toLocaleString("en-US")} rows/s): ` +
      `${summary.accepted.toLocaleString("en-US")} ${verb}, ${summary.duplicates.toLocaleString("en-US")} already there, ${summary.problemCount.toLocaleString("en-US")} with problems` +
      (args.kind === "accounts" && !args.dryRun ? ` (${summary.accountsCreated} accounts created, ${summary.accountsUpdated} updated)` : "") +
      (args.kind === "outcomes" && !args.dryRun ? ` (${summary.outcomesCreated} outcomes recorded, ${summary.outcomesUpdated} corrected)` : ""),
  );
  return summary.fileProblems.length > 0 || summary.problemCount > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
