-- Custom migration (drizzle-kit generate --custom): the writers of account_scores (score sync,
-- recompute) log the accounts whose scores they changed in one statement per write
-- (lib/server/score-change-log.ts); this trigger logged every updated row, one statement each,
-- and under ingestion cost about as much as the update itself. The log, its other triggers and
-- every row stay as they were.
DROP TRIGGER IF EXISTS `aggregate_changes_score_update`;
