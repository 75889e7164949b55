-- Custom migration (drizzle-kit generate --custom), as SQLite's score_changes_logged_by_writers:
-- the writers of account_scores log the accounts whose scores they changed in one statement
-- per write (lib/server/score-change-log.ts); this trigger logged every updated row. The log,
-- its other triggers (and their function) and every row stay as they were.
DROP TRIGGER IF EXISTS aggregate_changes_score_update ON account_scores;
