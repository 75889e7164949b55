import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/** One migration of a build: its tag, its date, and its SQL (default: the real migration's file). */
export interface BuildMigration {
  tag: string;
  when: number;
  sql?: string;
}

const journalSchema = z.object({
  version: z.string(),
  dialect: z.string(),
  entries: z.array(z.object({ tag: z.string(), when: z.number(), version: z.string() })).min(2, "the tests need at least two migrations"),
});

/**
 * Builds of the app as migration folders, for the tests of a database made by another build
 * (db/migrations.test.ts on SQLite, db/migrations.postgres.test.ts on PostgreSQL): the real
 * migrations of `source` up to some point, plus migrations of their own, each build a folder
 * under `work` with a journal in drizzle-kit's format for that folder's dialect.
 */
export function migrationBuilds(source: string, work: string) {
  const journal = journalSchema.parse(JSON.parse(fs.readFileSync(path.join(source, "meta", "_journal.json"), "utf8")));
  const real = journal.entries.map((e) => ({ tag: e.tag, when: e.when }));
  const entryVersion = journal.entries[0]?.version ?? journal.version;
  let builds = 0;
  return {
    /** The real migrations, in journal order. */
    real,
    /** The first `n` real migrations. */
    upTo: (n: number): BuildMigration[] => real.slice(0, n),
    /** A folder holding these migrations and their journal. */
    build(entries: readonly BuildMigration[]): string {
      const folder = path.join(work, `build-${++builds}`);
      fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
      for (const e of entries) fs.writeFileSync(path.join(folder, `${e.tag}.sql`), e.sql ?? fs.readFileSync(path.join(source, `${e.tag}.sql`)));
      const entriesOut = entries.map((e, idx) => ({ idx, version: entryVersion, when: e.when, tag: e.tag, breakpoints: true }));
      fs.writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ version: journal.version, dialect: journal.dialect, entries: entriesOut }));
      return folder;
    },
  };
}
