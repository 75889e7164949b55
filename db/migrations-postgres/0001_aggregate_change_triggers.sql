-- Custom migration (drizzle-kit generate --custom): triggers that log which accounts changed,
-- for the aggregate caches of segments, trends and before/after (docs/adr/0004), the twins of
-- SQLite's triggers in db/migrations/0004_aggregate_change_triggers.sql.
CREATE FUNCTION aggregate_change_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO aggregate_changes (account_id) VALUES (NEW.account_id);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION aggregate_change_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO aggregate_changes (account_id) VALUES (OLD.account_id);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION aggregate_change_account_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO aggregate_changes (account_id) VALUES (NEW.id);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION aggregate_change_account_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO aggregate_changes (account_id) VALUES (OLD.id);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_account_insert AFTER INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION aggregate_change_account_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_account_update AFTER UPDATE OF plan, region, industry, account_manager, stage, signup_date ON accounts FOR EACH ROW EXECUTE FUNCTION aggregate_change_account_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_account_delete AFTER DELETE ON accounts FOR EACH ROW EXECUTE FUNCTION aggregate_change_account_old();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_tag_insert AFTER INSERT ON account_tags FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_tag_delete AFTER DELETE ON account_tags FOR EACH ROW EXECUTE FUNCTION aggregate_change_old();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_tag_update_old AFTER UPDATE ON account_tags FOR EACH ROW EXECUTE FUNCTION aggregate_change_old();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_tag_update_new AFTER UPDATE ON account_tags FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_score_insert AFTER INSERT ON account_scores FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_score_update AFTER UPDATE ON account_scores FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_history_insert AFTER INSERT ON score_history FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
--> statement-breakpoint
CREATE TRIGGER aggregate_changes_history_update AFTER UPDATE ON score_history FOR EACH ROW EXECUTE FUNCTION aggregate_change_new();
