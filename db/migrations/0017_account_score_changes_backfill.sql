-- Custom migration (drizzle-kit generate --custom): accounts scored before alerts existed count as
-- changed now, so a first full read of GET /api/v1/scores?changedSince= finds every account. From
-- here on the score writers record changes themselves, in the transaction of each write
-- (lib/server/score-change-log.ts; no triggers: docs/adr/0016-alerts-outbox-and-read-api.md §1).
-- Twin: db/migrations-postgres/0007_account_score_changes_backfill.sql.
INSERT INTO `account_score_changes` (`account_id`, `changed_at`) SELECT `account_id`, CAST(unixepoch('subsec') * 1000 AS INTEGER) FROM `account_scores`;
