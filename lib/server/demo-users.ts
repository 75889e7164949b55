import "server-only";
import type { Database } from "@/db";
import { DEMO_USERS } from "../demo/users";
import { createUser, type UserSummary } from "./users";

/** Adds the demo users (one per role). Called only right after seeding the demo company. */
export async function seedDemoUsers(db: Database): Promise<UserSummary[]> {
  const created: UserSummary[] = [];
  for (const u of DEMO_USERS) {
    created.push(
      await createUser(db, { id: "system", name: "Demo setup" }, { name: u.name, email: u.email, role: u.role, accountManagerName: u.accountManagerName, password: u.password }),
    );
  }
  return created;
}
