-- Custom migration (drizzle-kit generate --custom), as SQLite's 0017_account_score_changes_backfill:
-- accounts scored before alerts existed count as changed now, so a first full read of
-- ?changedSince= finds every account; from here on the score writers record changes themselves.
INSERT INTO account_score_changes (account_id, changed_at) SELECT account_id, (floor(extract(epoch from clock_timestamp()) * 1000))::bigint FROM account_scores;
