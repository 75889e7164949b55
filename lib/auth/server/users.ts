import "server-only";
import { hashPassword } from "better-auth/crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { byteOrder, caseless } from "@/db/dialect";
import type { Role } from "../roles";
import type { CreateUserInput, SetupInput, UpdateUserInput } from "../users-validation";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { apiError } from "@/lib/http/server/http";

/**
 * User management: every change an administrator makes runs in one transaction together with
 * its audit entry. Passwords are hashed with better-auth's own scrypt hashing, so sign-in
 * verifies them; the credential row is better-auth's "credential" account.
 */
export interface UserSummary {
  id: string;
  name: string;
  email: string;
  role: Role;
  accountManagerName: string | null;
  active: boolean;
  deactivatedAt: number | null;
  createdAt: number;
}

/** A refused change, with the HTTP status and the field at fault for the API to report. */
export class UserChangeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "UserChangeError";
  }
}

/** A user as stored; times in ms since the epoch. */
type UserRow = Columns<typeof schema.users, "id" | "name" | "email" | "role" | "accountManagerName" | "deactivatedAt" | "createdAt">;

const SELECT_USER = sql.raw(
  `SELECT id, name, email, role, account_manager_name AS "accountManagerName", deactivated_at AS "deactivatedAt", created_at AS "createdAt" FROM users`,
);

function toSummary(r: UserRow): UserSummary {
  return { ...r, active: r.deactivatedAt === null };
}

export async function countUsers(db: Db): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM users`)) ?? 0;
}

/** Administrators first, then by name; deactivated users last. */
export async function listUsers(db: Db): Promise<UserSummary[]> {
  const rows = await db.all<UserRow>(
    sql`${SELECT_USER} ORDER BY deactivated_at IS NOT NULL, CASE role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, ${caseless(db.dialect, sql`name`)}, email`,
  );
  return rows.map(toSummary);
}

export interface GetUserParams {
  id: string;
}

export async function getUser(db: Db, params: GetUserParams): Promise<UserSummary | null> {
  const row = await db.get<UserRow>(sql`${SELECT_USER} WHERE id = ${params.id}`);
  return row ? toSummary(row) : null;
}

/** The distinct account-manager names in the data: the books a user can be given. */
export async function listAccountManagerNames(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: NonNullable<Column<typeof schema.accounts, "accountManager">> }>(
    // GROUP BY, not DISTINCT: PostgreSQL orders a DISTINCT only by what it selects.
    sql`SELECT account_manager AS name FROM accounts WHERE account_manager IS NOT NULL AND account_manager <> ''
      GROUP BY account_manager ORDER BY ${byteOrder(db.dialect, sql`account_manager`)}`,
  );
  return rows.map((r) => r.name);
}

async function assertBookExists(db: Db, book: string | null): Promise<void> {
  if (book === null) return;
  const exists = await db.value<number>(sql`SELECT 1 FROM accounts WHERE account_manager = ${book} LIMIT 1`);
  if (exists === undefined) throw new UserChangeError(400, "unknown_book", `No account has "${book}" as its account manager.`, "accountManagerName");
}

async function assertEmailFree(db: Db, email: string): Promise<void> {
  if ((await db.value<number>(sql`SELECT 1 FROM users WHERE email = ${email}`)) !== undefined) {
    throw new UserChangeError(409, "email_taken", "A user with this email already exists.", "email");
  }
}

async function insertCredential(db: Db, userId: string, passwordHash: string, now: number): Promise<void> {
  await db.run(sql`INSERT INTO auth_accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
    VALUES (${crypto.randomUUID()}, ${userId}, 'credential', ${userId}, ${passwordHash}, ${now}, ${now})`);
}

async function insertUserRows(db: Db, input: Omit<CreateUserInput, "password">, passwordHash: string, now: number): Promise<string> {
  const id = crypto.randomUUID();
  await db.run(sql`INSERT INTO users (id, name, email, email_verified, role, account_manager_name, created_at, updated_at)
    VALUES (${id}, ${input.name}, ${input.email}, 0, ${input.role}, ${input.accountManagerName}, ${now}, ${now})`);
  await insertCredential(db, id, passwordHash, now);
  return id;
}

async function createdUser(db: Db, id: string): Promise<UserSummary> {
  const user = await getUser(db, { id });
  if (!user) throw new Error(`User ${id} vanished right after it was created`);
  return user;
}

export interface CreateUserParams {
  actor: AuditActor;
  input: CreateUserInput;
}

/** Creates a user who can sign in with the given password at once. */
export async function createUser(db: Db, params: CreateUserParams): Promise<UserSummary> {
  const { actor, input } = params;
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    await assertEmailFree(tx, input.email);
    await assertBookExists(tx, input.accountManagerName);
    const newId = await insertUserRows(tx, input, passwordHash, Date.now());
    await recordAudit(tx, actor, {
      action: "user.create",
      target: `user:${newId}`,
      details: { name: input.name, email: input.email, role: input.role, accountManagerName: input.accountManagerName },
    });
    return newId;
  });
  return createdUser(db, id);
}

export interface CreateFirstAdminParams {
  input: SetupInput;
}

/**
 * The first administrator, only while there are no users at all. The check and the insert
 * share one transaction, serializable on PostgreSQL (SQLite has one writer at a time), so two
 * people racing through setup cannot both become admin.
 */
export async function createFirstAdmin(db: Db, params: CreateFirstAdminParams): Promise<UserSummary> {
  const { input } = params;
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(
    async (tx) => {
      if ((await countUsers(tx)) > 0) throw new UserChangeError(409, "setup_done", "Setup is complete: an administrator already exists. Sign in instead.");
      const newId = await insertUserRows(tx, { ...input, role: "admin", accountManagerName: null }, passwordHash, Date.now());
      await recordAudit(tx, { id: newId, name: input.name }, {
        action: "user.create",
        target: `user:${newId}`,
        details: { name: input.name, email: input.email, role: "admin", firstAdmin: true },
      });
      return newId;
    },
    { isolation: "serializable" },
  );
  return createdUser(db, id);
}

async function otherActiveAdmins(db: Db, id: string): Promise<number> {
  return (await db.value<number>(sql`SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND id <> ${id}`)) ?? 0;
}

async function revokeSessions(db: Db, userId: string): Promise<number> {
  return (await db.run(sql`DELETE FROM sessions WHERE user_id = ${userId}`)).rowsAffected;
}

export interface UpdateUserParams {
  actor: AuditActor;
  id: string;
  change: UpdateUserInput;
}

/**
 * Changes a user's name, role, book or active state. Refuses to demote or deactivate the last
 * active administrator (nobody could manage users any more) and an admin deactivating
 * themselves. Deactivating revokes every session of the user at once. Serializable on
 * PostgreSQL, so two admins demoting each other at once cannot leave no administrator.
 */
export async function updateUser(db: Db, params: UpdateUserParams): Promise<UserSummary> {
  const { actor, id, change } = params;
  await db.transaction(
    async (tx) => {
      const before = await getUser(tx, { id });
      if (!before) throw new UserChangeError(404, "not_found", "There is no such user.");
      const losesAdmin =
        before.role === "admin" && before.active && ((change.role !== undefined && change.role !== "admin") || change.active === false);
      if (losesAdmin && (await otherActiveAdmins(tx, id)) === 0) {
        throw new UserChangeError(
          409,
          "last_admin",
          change.active === false
            ? "This is the last active administrator; make someone else an administrator before deactivating this user."
            : "This is the last active administrator; make someone else an administrator before changing this role.",
          change.active === false ? "active" : "role",
        );
      }
      if (change.active === false && id === actor.id) {
        throw new UserChangeError(409, "self_deactivation", "You cannot deactivate yourself.", "active");
      }
      if (change.accountManagerName !== undefined && change.accountManagerName !== before.accountManagerName) {
        await assertBookExists(tx, change.accountManagerName);
      }

      const now = Date.now();
      const target = `user:${id}`;
      if (change.name !== undefined && change.name !== before.name) {
        await tx.run(sql`UPDATE users SET name = ${change.name}, updated_at = ${now} WHERE id = ${id}`);
        await recordAudit(tx, actor, { action: "user.rename", target, details: { from: before.name, to: change.name } });
      }
      if (change.role !== undefined && change.role !== before.role) {
        await tx.run(sql`UPDATE users SET role = ${change.role}, updated_at = ${now} WHERE id = ${id}`);
        await recordAudit(tx, actor, { action: "user.role_change", target, details: { email: before.email, from: before.role, to: change.role } });
      }
      if (change.accountManagerName !== undefined && change.accountManagerName !== before.accountManagerName) {
        await tx.run(sql`UPDATE users SET account_manager_name = ${change.accountManagerName}, updated_at = ${now} WHERE id = ${id}`);
        await recordAudit(tx, actor, {
          action: "user.book_change",
          target,
          details: { email: before.email, from: before.accountManagerName, to: change.accountManagerName },
        });
      }
      if (change.active === false && before.active) {
        await tx.run(sql`UPDATE users SET deactivated_at = ${now}, updated_at = ${now} WHERE id = ${id}`);
        const revoked = await revokeSessions(tx, id);
        await recordAudit(tx, actor, { action: "user.deactivate", target, details: { email: before.email, sessionsRevoked: revoked } });
      } else if (change.active === true && !before.active) {
        await tx.run(sql`UPDATE users SET deactivated_at = NULL, updated_at = ${now} WHERE id = ${id}`);
        await recordAudit(tx, actor, { action: "user.reactivate", target, details: { email: before.email } });
      }
    },
    { isolation: "serializable" },
  );
  const after = await getUser(db, { id });
  if (!after) throw new UserChangeError(404, "not_found", "There is no such user.");
  return after;
}

export interface ResetUserPasswordParams {
  actor: AuditActor;
  id: string;
  password: string;
}

/** Sets a new password chosen by an administrator and signs the user out everywhere. */
export async function resetUserPassword(db: Db, params: ResetUserPasswordParams): Promise<void> {
  const { actor, id, password } = params;
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const user = await getUser(tx, { id });
    if (!user) throw new UserChangeError(404, "not_found", "There is no such user.");
    const now = Date.now();
    const updated = (
      await tx.run(sql`UPDATE auth_accounts SET password = ${passwordHash}, updated_at = ${now} WHERE user_id = ${id} AND provider_id = 'credential'`)
    ).rowsAffected;
    if (updated === 0) await insertCredential(tx, id, passwordHash, now);
    const revoked = await revokeSessions(tx, id);
    await recordAudit(tx, actor, { action: "user.password_reset", target: `user:${id}`, details: { email: user.email, sessionsRevoked: revoked } });
  });
}

/** The API response for a refused change. */
export function userChangeErrorResponse(error: UserChangeError): Response {
  return apiError(error.status, error.code, error.message, { field: error.field });
}
