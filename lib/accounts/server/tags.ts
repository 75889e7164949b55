import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { byteOrder, caseless, textValues } from "@/db/dialect";
import type { AccountFilter, TagChange, TagChangeResult, TagsOverview } from "@/lib/teams/tags";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";

/** The account columns whose distinct values the bulk-tagging filter offers. */
type OptionColumn = "plan" | "region" | "industry" | "account_manager";

/** One distinct value of an option column (the query leaves NULL and empty text out). */
type OptionValue = NotNull<{ value: Column<typeof schema.accounts, "plan" | "region" | "industry" | "accountManager"> }, "value">;

/** A tag and how many accounts carry it (computed). */
type TagCount = Columns<typeof schema.accountTags, "tag"> & { accounts: number };

async function distinctValues(db: Db, column: OptionColumn): Promise<string[]> {
  const name = sql.raw(column);
  // GROUP BY, not DISTINCT: PostgreSQL orders a DISTINCT only by what it selects.
  const rows = await db.all<OptionValue>(
    sql`SELECT ${name} AS value FROM accounts WHERE ${name} IS NOT NULL AND ${name} <> '' GROUP BY ${name} ORDER BY ${byteOrder(db.dialect, name)}`,
  );
  return rows.map((r) => r.value);
}

export async function getTagsOverview(db: Db): Promise<TagsOverview> {
  const [tags, totalAccounts, plans, regions, industries, accountManagers] = await Promise.all([
    db.all<TagCount>(sql`SELECT tag, count(*) AS accounts FROM account_tags GROUP BY tag ORDER BY ${caseless(db.dialect, sql`tag`)}`),
    db.value<number>(sql`SELECT count(*) FROM accounts`),
    distinctValues(db, "plan"),
    distinctValues(db, "region"),
    distinctValues(db, "industry"),
    distinctValues(db, "account_manager"),
  ]);
  return { tags, totalAccounts: totalAccounts ?? 0, options: { plans, regions, industries, accountManagers } };
}

/** A subquery of the ids of the accounts a filter matches; every value is bound. */
function filterQuery(filter: AccountFilter): SQL {
  const where: SQL[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value !== undefined) where.push(sql`a.${sql.raw(column)} = ${value}`);
  };
  eq("plan", filter.plan);
  eq("region", filter.region);
  eq("industry", filter.industry);
  eq("account_manager", filter.accountManager);
  eq("stage", filter.stage);
  if (filter.band !== undefined) where.push(sql`a.id IN (SELECT account_id FROM account_scores WHERE band = ${filter.band})`);
  if (filter.signupFrom !== undefined) where.push(sql`a.signup_date >= ${filter.signupFrom}`);
  if (filter.signupTo !== undefined) where.push(sql`a.signup_date <= ${filter.signupTo}`);
  return where.length === 0 ? sql`SELECT a.id FROM accounts a` : sql`SELECT a.id FROM accounts a WHERE ${sql.join(where, sql` AND `)}`;
}

/** A change's selection: the subquery of its account ids, and the external ids no account has. */
async function selectionOf(db: Db, change: TagChange): Promise<{ ids: SQL; unknown: string[] }> {
  if (change.selection.by === "filter") return { ids: filterQuery(change.selection.filter), unknown: [] };
  const externalIds = change.selection.externalIds;
  const given = textValues(db.dialect, externalIds);
  const found = await db.all<Columns<typeof schema.accounts, "externalId">>(sql`SELECT a.external_id AS "externalId" FROM accounts a WHERE a.external_id IN (${given})`);
  const known = new Set(found.map((r) => r.externalId));
  return {
    ids: sql`SELECT a.id FROM accounts a WHERE a.external_id IN (${given})`,
    // In the order given, repeats included, as the user sent them.
    unknown: externalIds.filter((id) => !known.has(id)),
  };
}

export interface ChangeTagsParams {
  actor: AuditActor;
  change: TagChange;
}

/**
 * Adds a tag to, or removes it from, every account of a selection, in one transaction with
 * its audit entry. With `preview`, only counts (nothing written, nothing audited).
 */
export async function changeTags(db: Db, params: ChangeTagsParams): Promise<TagChangeResult> {
  const { actor, change } = params;
  return db.transaction(async (tx): Promise<TagChangeResult> => {
    const { ids, unknown } = await selectionOf(tx, change);
    const matched = (await tx.value<number>(sql`SELECT count(*) FROM (${ids}) AS s`)) ?? 0;
    const tagged = (await tx.value<number>(sql`SELECT count(*) FROM account_tags WHERE tag = ${change.tag} AND account_id IN (${ids})`)) ?? 0;
    const changed = change.action === "add" ? matched - tagged : tagged;
    if (!change.preview && changed > 0) {
      if (change.action === "add") {
        // `WHERE true`: SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT to parse it.
        await tx.run(sql`INSERT INTO account_tags (account_id, tag) SELECT s.id, ${change.tag} FROM (${ids}) AS s WHERE true ON CONFLICT DO NOTHING`);
      } else {
        await tx.run(sql`DELETE FROM account_tags WHERE tag = ${change.tag} AND account_id IN (${ids})`);
      }
    }
    if (!change.preview) {
      await recordAudit(tx, actor, {
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
    return {
      action: change.action,
      tag: change.tag,
      preview: change.preview,
      matched,
      changed,
      unknownExternalIds: unknown.slice(0, 20),
      unknownCount: unknown.length,
    };
  });
}

export interface DeleteTagParams {
  actor: AuditActor;
  tag: string;
}

/** Removes a tag from every account; returns how many accounts lost it. */
export async function deleteTag(db: Db, params: DeleteTagParams): Promise<number> {
  const { actor, tag } = params;
  return db.transaction(async (tx) => {
    const removed = (await tx.run(sql`DELETE FROM account_tags WHERE tag = ${tag}`)).rowsAffected;
    if (removed > 0) await recordAudit(tx, actor, { action: "tags.delete", target: `tag:${tag}`, details: { accounts: removed } });
    return removed;
  });
}
