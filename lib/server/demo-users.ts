import "server-only";
import type { Database } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { DEMO_USERS } from "../demo/users";
import { createUser, type UserSummary } from "./users";

/**
 * Adds the demo users (one per role). Called only right after seeding the demo company, which
 * is built on a SQLite file (lib/server/seed.ts is not on the data layer yet): the users go
 * through the data layer on that same connection.
 */
export async function seedDemoUsers(db: Database): Promise<UserSummary[]> {
  const data = new SqliteDb(db.sqlite, db.file);
  const created: UserSummary[] = [];
  for (const u of DEMO_USERS) {
    const input = { name: u.name, email: u.email, role: u.role, accountManagerName: u.accountManagerName, password: u.password };
    created.push(await createUser(data, { actor: { id: "system", name: "Demo setup" }, input }));
  }
  return created;
}
