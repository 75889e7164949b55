import "server-only";
import type { Db } from "@/db/client";
import { DEMO_USERS } from "../users";
import { createUser, type UserSummary } from "@/lib/auth/server/users";

/** Adds the demo users (one per role), on either database. */
export async function seedDemoUsers(db: Db): Promise<UserSummary[]> {
  const created: UserSummary[] = [];
  for (const u of DEMO_USERS) {
    const input = { name: u.name, email: u.email, role: u.role, accountManagerName: u.accountManagerName, password: u.password };
    created.push(await createUser(db, { actor: { id: "system", name: "Demo setup" }, input }));
  }
  return created;
}
