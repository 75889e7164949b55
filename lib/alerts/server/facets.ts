import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column } from "@/db/rows";
import type * as schema from "@/db/schema";

/** The values a rule can filter on, for the admin's pickers. */
export interface RuleFacets {
  plans: string[];
  regions: string[];
  industries: string[];
  tags: string[];
  managers: string[];
}

type FacetRow<V> = { value: NonNullable<V> };
type AccountFacetRow = FacetRow<Column<typeof schema.accounts, "plan" | "region" | "industry" | "accountManager">>;
type TagFacetRow = FacetRow<Column<typeof schema.accountTags, "tag">>;

async function distinct(db: Db, column: "plan" | "region" | "industry" | "account_manager"): Promise<string[]> {
  const rows = await db.all<AccountFacetRow>(sql`SELECT DISTINCT ${sql.raw(column)} AS value FROM accounts WHERE ${sql.raw(column)} IS NOT NULL ORDER BY value`);
  return rows.map((r) => r.value);
}

export async function ruleFacets(db: Db): Promise<RuleFacets> {
  const tags = await db.all<TagFacetRow>(sql`SELECT DISTINCT tag AS value FROM account_tags ORDER BY value`);
  return {
    plans: await distinct(db, "plan"),
    regions: await distinct(db, "region"),
    industries: await distinct(db, "industry"),
    tags: tags.map((t) => t.value),
    managers: await distinct(db, "account_manager"),
  };
}
