-- Custom migration (drizzle-kit generate --custom), PostgreSQL only: commit order for the
-- readers that follow a table (db/commit-horizon.ts, ADR 0015's addendum). Identity ids are
-- handed out at insert, not at commit, so "every id up to N" is no horizon on PostgreSQL.
-- Each row of a followed table now records the transaction that inserted it; a reader keeps
-- the snapshot it read in and later reads exactly the rows that snapshot did not see. Rows
-- stored before this migration keep NULL (they were all committed when it ran: ALTER TABLE
-- waits for every open writer) and are followed by id as before. The columns are not in the
-- drizzle schema: SQLite has no twin (one writer at a time is its commit order).
ALTER TABLE "events" ADD COLUMN "tx" xid8;
--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "tx" SET DEFAULT pg_current_xact_id();
--> statement-breakpoint
CREATE INDEX "events_tx_idx" ON "events" ("tx") WHERE "tx" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "tx" xid8;
--> statement-breakpoint
ALTER TABLE "accounts" ALTER COLUMN "tx" SET DEFAULT pg_current_xact_id();
--> statement-breakpoint
CREATE INDEX "accounts_tx_idx" ON "accounts" ("tx") WHERE "tx" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "aggregate_changes" ADD COLUMN "tx" xid8;
--> statement-breakpoint
ALTER TABLE "aggregate_changes" ALTER COLUMN "tx" SET DEFAULT pg_current_xact_id();
--> statement-breakpoint
CREATE INDEX "aggregate_changes_tx_idx" ON "aggregate_changes" ("tx") WHERE "tx" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "score_sync" ADD COLUMN "snapshot" text;
--> statement-breakpoint
-- Statistics for the new columns now (sampled, a second or so on 20 M events): without them the
-- planner guesses that a third of the rows match "tx >= X" and scans the whole table for a
-- LIMIT 1 that the index answers at once; with them (every old row NULL) it uses the index.
ANALYZE "events" ("tx");
--> statement-breakpoint
ANALYZE "accounts" ("tx");
--> statement-breakpoint
ANALYZE "aggregate_changes" ("tx");
