import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts";

/** Free-form labels on accounts, set by admins or arriving as account traits; a segment dimension. */
export const accountTags = sqliteTable(
  "account_tags",
  {
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tag] }), index("account_tags_tag_idx").on(t.tag)],
);

export type AccountTag = typeof accountTags.$inferSelect;
