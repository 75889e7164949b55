import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { listAuditLog } from "@/lib/operations/server/audit";
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
} from "@/lib/auth/server/users";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await db.run(sql`INSERT INTO accounts (external_id, name, account_manager) VALUES ('a1', 'Acme', 'Alice Moreau'), ('a2', 'Globex', 'Ben Okafor'), ('a3', 'Initech', 'alice Lee')`);
});
afterAll(async () => cleanup());

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

async function sessionFor(userId: string): Promise<void> {
  const now = Date.now();
  await db.run(sql`INSERT INTO sessions (id, expires_at, token, user_id, created_at, updated_at)
    VALUES (${crypto.randomUUID()}, ${now + 86_400_000}, ${crypto.randomUUID()}, ${userId}, ${now}, ${now})`);
}

async function sessionCount(userId: string): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM sessions WHERE user_id = ${userId}`)) ?? -1;
}

async function passwordHash(userId: string): Promise<string> {
  return (await db.value<string>(sql`SELECT password FROM auth_accounts WHERE user_id = ${userId} AND provider_id = 'credential'`)) ?? "";
}

describe("users", () => {
  let adminId = "";

  it("creates the first administrator only while there are no users", async () => {
    expect(await countUsers(db)).toBe(0);
    const admin = await createFirstAdmin(db, { input: { name: "Ann Admin", email: "ann@example.com", password: PASSWORD } });
    adminId = admin.id;
    expect(admin).toMatchObject({ role: "admin", active: true, accountManagerName: null });
    const again = await refused(createFirstAdmin(db, { input: { name: "Eve", email: "eve@example.com", password: PASSWORD } }));
    expect(again).toMatchObject({ status: 409, code: "setup_done" });
    expect(await countUsers(db)).toBe(1);
  });

  it("stores a credential that better-auth can verify", async () => {
    const { verifyPassword } = await import("better-auth/crypto");
    const hash = await passwordHash(adminId);
    expect(hash).not.toContain(PASSWORD);
    expect(await verifyPassword({ hash, password: PASSWORD })).toBe(true);
    expect(await verifyPassword({ hash, password: "wrong-password" })).toBe(false);
  });

  it("creates users with a role and a book, refusing duplicate emails and unknown books", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    const manager = await createUser(db, { actor, input: { name: "Mo", email: "mo@example.com", role: "manager", accountManagerName: "Alice Moreau", password: PASSWORD } });
    expect((await getUser(db, { id: manager.id }))).toMatchObject({ role: "manager", accountManagerName: "Alice Moreau" });
    expect(await refused(createUser(db, { actor, input: { name: "Mo 2", email: "mo@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } }))).toMatchObject({
      status: 409,
      field: "email",
    });
    expect(await refused(createUser(db, { actor, input: { name: "X", email: "x@example.com", role: "viewer", accountManagerName: "Nobody", password: PASSWORD } }))).toMatchObject({
      status: 400,
      field: "accountManagerName",
    });
    // Byte order on both databases, whatever PostgreSQL's locale: capitals first.
    expect(await listAccountManagerNames(db)).toEqual(["Alice Moreau", "Ben Okafor", "alice Lee"]);
  });

  it("stores hostile names verbatim", async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script>`;
    const user = await createUser(db, { actor: { id: adminId, name: "Ann Admin" }, input: { name, email: "bobby@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } });
    expect((await getUser(db, { id: user.id }))?.name).toBe(name);
    expect((await listUsers(db)).some((u) => u.name === name)).toBe(true);
  });

  it("lists active users first, administrators before managers before viewers, then by name ignoring case", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    await createUser(db, { actor, input: { name: "aaron", email: "aaron@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } });
    const gone = await createUser(db, { actor, input: { name: "Abe", email: "abe@example.com", role: "admin", accountManagerName: null, password: PASSWORD } });
    await updateUser(db, { actor, id: gone.id, change: { active: false } });
    const listed = (await listUsers(db)).map((u) => `${u.role}:${u.name}`);
    expect(listed[0]).toBe("admin:Ann Admin");
    expect(listed.at(-1)).toBe("admin:Abe");
    expect(listed.slice(1, -1)).toEqual(["manager:Mo", "viewer:aaron", `viewer:Robert'); DROP TABLE users;-- <script>alert(1)</script>`]);
    const abe = await getUser(db, { id: gone.id });
    expect(abe).toMatchObject({ active: false });
    expect(typeof abe?.deactivatedAt).toBe("number");
    expect(typeof abe?.createdAt).toBe("number");
  });

  it("never demotes or deactivates the last active administrator", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    expect(await refused(() => updateUser(db, { actor, id: adminId, change: { role: "manager" } }))).toMatchObject({ status: 409, code: "last_admin", field: "role" });
    const second = await createUser(db, { actor, input: { name: "Zed", email: "zed@example.com", role: "admin", accountManagerName: null, password: PASSWORD } });
    expect(await refused(() => updateUser(db, { actor: { id: second.id, name: "Zed" }, id: second.id, change: { active: false } }))).toMatchObject({ code: "self_deactivation" });
    // With a second admin, the first may be demoted; then the second is the last one.
    expect((await updateUser(db, { actor: { id: second.id, name: "Zed" }, id: adminId, change: { role: "viewer" } })).role).toBe("viewer");
    expect(await refused(() => updateUser(db, { actor, id: second.id, change: { active: false } }))).toMatchObject({ code: "last_admin", field: "active" });
    expect(await refused(() => updateUser(db, { actor, id: second.id, change: { role: "viewer" } }))).toMatchObject({ code: "last_admin" });
    // A deactivated admin does not count as the one that keeps the product manageable.
    await updateUser(db, { actor: { id: second.id, name: "Zed" }, id: adminId, change: { role: "admin" } });
    expect((await updateUser(db, { actor: { id: second.id, name: "Zed" }, id: adminId, change: { active: false } })).active).toBe(false);
    expect(await refused(() => updateUser(db, { actor: { id: adminId, name: "Ann" }, id: second.id, change: { role: "viewer" } }))).toMatchObject({ code: "last_admin" });
    await updateUser(db, { actor: { id: second.id, name: "Zed" }, id: adminId, change: { active: true } });
  });

  it("deactivation revokes every session; reactivation does not restore them", async () => {
    const actor = { id: adminId, name: "Ann Admin" };
    const user = await createUser(db, { actor, input: { name: "Dee", email: "dee@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } });
    await sessionFor(user.id);
    await sessionFor(user.id);
    expect(await sessionCount(user.id)).toBe(2);
    expect((await updateUser(db, { actor, id: user.id, change: { active: false } }))).toMatchObject({ active: false });
    expect(await sessionCount(user.id)).toBe(0);
    expect((await updateUser(db, { actor, id: user.id, change: { active: true } }))).toMatchObject({ active: true, deactivatedAt: null });
    expect(await sessionCount(user.id)).toBe(0);
  });

  it("a password reset replaces the hash and signs the user out", async () => {
    const { verifyPassword } = await import("better-auth/crypto");
    const actor = { id: adminId, name: "Ann Admin" };
    const user = await createUser(db, { actor, input: { name: "Rae", email: "rae@example.com", role: "viewer", accountManagerName: null, password: PASSWORD } });
    await sessionFor(user.id);
    await resetUserPassword(db, { actor, id: user.id, password: "another-good-password" });
    const hash = await passwordHash(user.id);
    expect(await verifyPassword({ hash, password: "another-good-password" })).toBe(true);
    expect(await sessionCount(user.id)).toBe(0);
    expect(await refused(resetUserPassword(db, { actor, id: "missing", password: "another-good-password" }))).toMatchObject({ status: 404 });
  });

  it("audits every change, newest first, with who did it", async () => {
    const page = await listAuditLog(db, { page: 1, pageSize: 100 });
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

  it("pages the audit log", async () => {
    const total = (await listAuditLog(db, { page: 1, pageSize: 100 })).total;
    const second = await listAuditLog(db, { page: 2, pageSize: 3 });
    expect(second).toMatchObject({ total, page: 2, pageSize: 3, pageCount: Math.ceil(total / 3) });
    expect(second.entries).toHaveLength(3);
    const first = await listAuditLog(db, { page: 1, pageSize: 3 });
    expect(first.entries[2]?.id).toBeGreaterThan(second.entries[0]?.id ?? Infinity);
    expect((await listAuditLog(db, { page: 999, pageSize: 3 })).entries).toEqual([]);
  });
});
