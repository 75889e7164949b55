import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db";
import { listAuditLog } from "@/lib/server/audit";
import {
  countUsers,
  createFirstAdmin,
  createUser,
  getUser,
  listAccountManagerNames,
  listUsers,
  resetUserPassword,
  updateUser,
  UserChangeError,
} from "@/lib/server/users";
import { createTestDatabase } from "./db";

let db: Database;
let cleanup: () => void;

beforeAll(() => {
  ({ db, cleanup } = createTestDatabase());
  db.sqlite.prepare("INSERT INTO accounts (external_id, name, account_manager) VALUES ('a1', 'Acme', 'Alice Moreau'), ('a2', 'Globex', 'Ben Okafor')").run();
});
afterAll(() => cleanup());

const PASSWORD = "a-good-password";

async function refused(promise: Promise<unknown> | (() => unknown)): Promise<UserChangeError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    if (error instanceof UserChangeError) return error;
    throw error;
  }
  throw new Error("expected the change to be refused");
}

function sessionFor(userId: string): void {
  db.sqlite
    .prepare("INSERT INTO sessions (id, expires_at, token, user_id) VALUES (?, ?, ?, ?)")
    .run(crypto.randomUUID(), Date.now() + 86_400_000, crypto.randomUUID(), userId);
}

function sessionCount(userId: string): number {
  return db.sqlite.prepare("SELECT count(*) FROM sessions WHERE user_id = ?").pluck().get(userId) as number;
}

describe("users", () => {
  let adminId = "";

  it("creates the first administrator only while there are no users", async () => {
    expect(countUsers(db)).toBe(0);
    const admin = await createFirstAdmin(db, { name: "Ann Admin", email: "ann@example.com", password: PASSWORD });
    adminId = admin.id;
    expect(admin).toMatchObject({ role: "admin", active: true, accountManagerName: null });
    const again = await refused(createFirstAdmin(db, { name: "Eve", email: "eve@example.com", password: PASSWORD }));
    expect(again).toMatchObject({ status: 409, code: "setup_done" });
    expect(countUsers(db)).toBe(1);
  });

  it("stores a credential that better-auth can verify", async () => {
    const { verifyPassword } = await import("better-auth/crypto");
    const hash = db.sqlite.prepare("SELECT password FROM auth_accounts WHERE user_id = ? AND provider_id = 'credential'").pluck().get(adminId) as string;
    expect(hash).not.toContain(PASSWORD);
    expect(await verifyPassword({ hash, password: PASSWORD })).toBe(true);
    expect(await verifyPassword({ hash, password: "wrong-password" })).toBe(false);
  });

  it("creates users with a role and a book, refusing duplicate emails and unknown books", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    const manager = await createUser(db, actor, { name: "Mo", email: "mo@example.com", role: "manager", accountManagerName: "Alice Moreau", password: PASSWORD });
    expect(getUser(db, manager.id)).toMatchObject({ role: "manager", accountManagerName: "Alice Moreau" });
    expect(await refused(createUser(db, actor, { name: "Mo 2", email: "mo@example.com", role: "viewer", accountManagerName: null, password: PASSWORD }))).toMatchObject({
      status: 409,
      field: "email",
    });
    expect(await refused(createUser(db, actor, { name: "X", email: "x@example.com", role: "viewer", accountManagerName: "Nobody", password: PASSWORD }))).toMatchObject({
      status: 400,
      field: "accountManagerName",
    });
    expect(listAccountManagerNames(db)).toEqual(["Alice Moreau", "Ben Okafor"]);
  });

  it("stores hostile names verbatim", async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const user = await createUser(db, { id: adminId, name: "Ann Admin" }, { name, email: "bobby@example.com", role: "viewer", accountManagerName: null, password: PASSWORD });
    expect(getUser(db, user.id)?.name).toBe(name);
    expect(listUsers(db).some((u) => u.name === name)).toBe(true);
  });

  it("never demotes or deactivates the last active administrator", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    expect(await refused(() => updateUser(db, actor, adminId, { role: "manager" }))).toMatchObject({ status: 409, code: "last_admin", field: "role" });
    const second = await createUser(db, actor, { name: "Zed", email: "zed@example.com", role: "admin", accountManagerName: null, password: PASSWORD });
    expect(await refused(() => updateUser(db, { id: second.id, name: "Zed" }, second.id, { active: false }))).toMatchObject({ code: "self_deactivation" });
    // With a second admin, the first may be demoted; then the second is the last one.
    expect(updateUser(db, { id: second.id, name: "Zed" }, adminId, { role: "viewer" }).role).toBe("viewer");
    expect(await refused(() => updateUser(db, actor, second.id, { active: false }))).toMatchObject({ code: "last_admin", field: "active" });
    expect(await refused(() => updateUser(db, actor, second.id, { role: "viewer" }))).toMatchObject({ code: "last_admin" });
    // A deactivated admin does not count as the one that keeps the product manageable.
    updateUser(db, { id: second.id, name: "Zed" }, adminId, { role: "admin" });
    expect(updateUser(db, { id: second.id, name: "Zed" }, adminId, { active: false }).active).toBe(false);
    expect(await refused(() => updateUser(db, { id: adminId, name: "Ann" }, second.id, { role: "viewer" }))).toMatchObject({ code: "last_admin" });
    updateUser(db, { id: second.id, name: "Zed" }, adminId, { active: true });
  });

  it("deactivation revokes every session; reactivation does not restore them", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    const user = await createUser(db, actor, { name: "Dee", email: "dee@example.com", role: "viewer", accountManagerName: null, password: PASSWORD });
    sessionFor(user.id);
    sessionFor(user.id);
    expect(sessionCount(user.id)).toBe(2);
    expect(updateUser(db, actor, user.id, { active: false })).toMatchObject({ active: false });
    expect(sessionCount(user.id)).toBe(0);
    expect(updateUser(db, actor, user.id, { active: true })).toMatchObject({ active: true, deactivatedAt: null });
    expect(sessionCount(user.id)).toBe(0);
  });

  it("a password reset replaces the hash and signs the user out", async () => {
    const { verifyPassword } = await import("better-auth/crypto");
    const actor = { id: adminId, name: "Ann Admin" };
    const user = await createUser(db, actor, { name: "Rae", email: "rae@example.com", role: "viewer", accountManagerName: null, password: PASSWORD });
    sessionFor(user.id);
    await resetUserPassword(db, actor, user.id, "another-good-password");
    const hash = db.sqlite.prepare("SELECT password FROM auth_accounts WHERE user_id = ?").pluck().get(user.id) as string;
    expect(await verifyPassword({ hash, password: "another-good-password" })).toBe(true);
    expect(sessionCount(user.id)).toBe(0);
    expect(await refused(resetUserPassword(db, actor, "missing", "another-good-password"))).toMatchObject({ status: 404 });
  });

  it("audits every change, newest first, with who did it", () => {
    const page = listAuditLog(db, { page: 1, pageSize: 100 });
    const actions = page.entries.map((e) => e.action);
    expect(actions[0]).toBe("user.password_reset");
    for (const a of ["user.create", "user.role_change", "user.deactivate", "user.reactivate", "user.password_reset"]) expect(actions).toContain(a);
    const firstAdmin = page.entries.at(-1);
    expect(firstAdmin).toMatchObject({ action: "user.create", actorName: "Ann Admin", details: { firstAdmin: true, email: "ann@example.com" } });
    const roleChange = page.entries.filter((e) => e.action === "user.role_change").at(-1); // the oldest
    expect(roleChange).toMatchObject({ actorName: "Zed", details: { from: "admin", to: "viewer" } });
    // Secrets never reach the audit log.
    expect(JSON.stringify(page.entries)).not.toContain(PASSWORD);
    expect(JSON.stringify(page.entries)).not.toContain("another-good-password");
  });

  it("pages the audit log", () => {
    const total = listAuditLog(db, { page: 1, pageSize: 100 }).total;
    const second = listAuditLog(db, { page: 2, pageSize: 3 });
    expect(second).toMatchObject({ total, page: 2, pageSize: 3, pageCount: Math.ceil(total / 3) });
    expect(second.entries).toHaveLength(3);
    const first = listAuditLog(db, { page: 1, pageSize: 3 });
    expect(first.entries[2]?.id).toBeGreaterThan(second.entries[0]?.id ?? Infinity);
    expect(listAuditLog(db, { page: 999, pageSize: 3 }).entries).toEqual([]);
  });
});
