import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";

/** PostgreSQL twin of db/schema/tags.ts. */
export const accountTags = pgTable(
  "account_tags",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tag] }), index("account_tags_tag_idx").on(t.tag)],
);
