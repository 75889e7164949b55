import "server-only";
import type { Database } from "@/db";
import type { AccountFilter, TagChange, TagChangeResult, TagsOverview } from "@/lib/teams/tags";
import { recordAudit, type AuditActor } from "./audit";

export function getTagsOverview(db: Database): TagsOverview {
  const { sqlite } = db;
  const distinct = (column: string) =>
    sqlite.prepare(`SELECT DISTINCT ${column} FROM accounts WHERE ${column} IS NOT NULL AND ${column} <> '' ORDER BY ${column}`).pluck().all() as string[];
  return {
    tags: sqlite.prepare("SELECT tag, count(*) AS accounts FROM account_tags GROUP BY tag ORDER BY tag COLLATE NOCASE").all() as TagsOverview["tags"],
    totalAccounts: sqlite.prepare("SELECT count(*) FROM accounts").pluck().get() as number,
    options: {
      plans: distinct("plan"),
      regions: distinct("region"),
      industries: distinct("industry"),
      accountManagers: distinct("account_manager"),
    },
  };
}

/** SQL (a subquery of account ids) and its parameters for a filter; values are always bound. */
function filterQuery(filter: AccountFilter): { sql: string; params: Record<string, string> } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  const eq = (column: string, key: keyof AccountFilter) => {
    const value = filter[key];
    if (value !== undefined) {
      where.push(`a.${column} = @${key}`);
      params[key] = value;
    }
  };
  eq("plan", "plan");
  eq("region", "region");
  eq("industry", "industry");
  eq("account_manager", "accountManager");
  eq("stage", "stage");
  if (filter.band !== undefined) {
    where.push("a.id IN (SELECT account_id FROM account_scores WHERE band = @band)");
    params.band = filter.band;
  }
  if (filter.signupFrom !== undefined) {
    where.push("a.signup_date >= @signupFrom");
    params.signupFrom = filter.signupFrom;
  }
  if (filter.signupTo !== undefined) {
    where.push("a.signup_date <= @signupTo");
    params.signupTo = filter.signupTo;
  }
  return { sql: `SELECT a.id FROM accounts a${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`, params };
}

/**
 * Adds a tag to, or removes it from, every account of a selection, in one transaction with
 * its audit entry. With `preview`, only counts (nothing written, nothing audited).
 */
export function changeTags(db: Database, actor: AuditActor, change: TagChange): TagChangeResult {
  const { sqlite } = db;
  return sqlite.transaction((): TagChangeResult => {
    sqlite.exec("CREATE TEMP TABLE IF NOT EXISTS tag_selection (account_id INTEGER PRIMARY KEY)");
    sqlite.exec("DELETE FROM temp.tag_selection");
    let unknown: string[] = [];
    if (change.selection.by === "ids") {
      const ids = JSON.stringify(change.selection.externalIds);
      sqlite.prepare("INSERT OR IGNORE INTO temp.tag_selection SELECT a.id FROM accounts a JOIN json_each(?) j ON j.value = a.external_id").run(ids);
      unknown = sqlite
        .prepare("SELECT j.value FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.external_id = j.value) ORDER BY j.key")
        .pluck()
        .all(ids) as string[];
    } else {
      const { sql, params } = filterQuery(change.selection.filter);
      sqlite.prepare(`INSERT INTO temp.tag_selection ${sql}`).run(params);
    }
    const matched = sqlite.prepare("SELECT count(*) FROM temp.tag_selection").pluck().get() as number;
    const tagged = sqlite
      .prepare("SELECT count(*) FROM temp.tag_selection s JOIN account_tags t ON t.account_id = s.account_id AND t.tag = ?")
      .pluck()
      .get(change.tag) as number;
    const changed = change.action === "add" ? matched - tagged : tagged;
    if (!change.preview && changed > 0) {
      if (change.action === "add") {
        sqlite.prepare("INSERT OR IGNORE INTO account_tags (account_id, tag) SELECT account_id, ? FROM temp.tag_selection").run(change.tag);
      } else {
        sqlite.prepare("DELETE FROM account_tags WHERE tag = ? AND account_id IN (SELECT account_id FROM temp.tag_selection)").run(change.tag);
      }
    }
    if (!change.preview) {
      recordAudit(db, actor, {
        action: change.action === "add" ? "tags.add" : "tags.remove",
        target: `tag:${change.tag}`,
        details: {
          selection: change.selection.by === "ids" ? { by: "ids", count: change.selection.externalIds.length } : change.selection,
          matched,
          changed,
          unknownExternalIds: unknown.length,
        },
      });
    }
    sqlite.exec("DELETE FROM temp.tag_selection");
    return {
      action: change.action,
      tag: change.tag,
      preview: change.preview,
      matched,
      changed,
      unknownExternalIds: unknown.slice(0, 20),
      unknownCount: unknown.length,
    };
  })();
}

/** Removes a tag from every account; returns how many accounts lost it. */
export function deleteTag(db: Database, actor: AuditActor, tag: string): number {
  return db.sqlite.transaction(() => {
    const removed = db.sqlite.prepare("DELETE FROM account_tags WHERE tag = ?").run(tag).changes;
    if (removed > 0) recordAudit(db, actor, { action: "tags.delete", target: `tag:${tag}`, details: { accounts: removed } });
    return removed;
  })();
}
