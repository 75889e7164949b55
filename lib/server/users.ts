import "server-only";
import { hashPassword } from "better-auth/crypto";
import type { Database } from "@/db";
import type { Role } from "../roles";
import type { CreateUserInput, SetupInput, UpdateUserInput } from "../users-validation";
import { recordAudit, type AuditActor } from "./audit";
import { apiError } from "./http";

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

interface UserRowRaw {
  id: string;
  name: string;
  email: string;
  role: Role;
  account_manager_name: string | null;
  deactivated_at: number | null;
  created_at: number;
}

const SELECT_USER = "SELECT id, name, email, role, account_manager_name, deactivated_at, created_at FROM users";

function toSummary(r: UserRowRaw): UserSummary {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    accountManagerName: r.account_manager_name,
    active: r.deactivated_at === null,
    deactivatedAt: r.deactivated_at,
    createdAt: r.created_at,
  };
}

export function countUsers(db: Database): number {
  return db.sqlite.prepare("SELECT count(*) FROM users").pluck().get() as number;
}

/** Administrators first, then by name; deactivated users last. */
export function listUsers(db: Database): UserSummary[] {
  const rows = db.sqlite
    .prepare(
      `${SELECT_USER} ORDER BY deactivated_at IS NOT NULL, CASE role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, name COLLATE NOCASE, email`,
    )
    .all() as UserRowRaw[];
  return rows.map(toSummary);
}

export function getUser(db: Database, id: string): UserSummary | null {
  const row = db.sqlite.prepare(`${SELECT_USER} WHERE id = ?`).get(id) as UserRowRaw | undefined;
  return row ? toSummary(row) : null;
}

/** The distinct account-manager names in the data: the books a user can be given. */
export function listAccountManagerNames(db: Database): string[] {
  return db.sqlite
    .prepare("SELECT DISTINCT account_manager FROM accounts WHERE account_manager IS NOT NULL AND account_manager <> '' ORDER BY account_manager")
    .pluck()
    .all() as string[];
}

function assertBookExists(db: Database, book: string | null): void {
  if (book === null) return;
  const exists = db.sqlite.prepare("SELECT 1 FROM accounts WHERE account_manager = ? LIMIT 1").get(book);
  if (!exists) throw new UserChangeError(400, "unknown_book", `No account has "${book}" as its account manager.`, "accountManagerName");
}

function assertEmailFree(db: Database, email: string): void {
  if (db.sqlite.prepare("SELECT 1 FROM users WHERE email = ?").get(email)) {
    throw new UserChangeError(409, "email_taken", "A user with this email already exists.", "email");
  }
}

function insertUserRows(db: Database, input: Omit<CreateUserInput, "password">, passwordHash: string, now: number): string {
  const id = crypto.randomUUID();
  db.sqlite
    .prepare(
      `INSERT INTO users (id, name, email, email_verified, role, account_manager_name, created_at, updated_at)
       VALUES (?, ?, ?, 0, ?, ?, ?, ?)`,
    )
    .run(id, input.name, input.email, input.role, input.accountManagerName, now, now);
  db.sqlite
    .prepare(
      `INSERT INTO auth_accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
       VALUES (?, ?, 'credential', ?, ?, ?, ?)`,
    )
    .run(crypto.randomUUID(), id, id, passwordHash, now, now);
  return id;
}

/** Creates a user who can sign in with the given password at once. */
export async function createUser(db: Database, actor: AuditActor, input: CreateUserInput): Promise<UserSummary> {
  const passwordHash = await hashPassword(input.password);
  const id = db.sqlite.transaction(() => {
    assertEmailFree(db, input.email);
    assertBookExists(db, input.accountManagerName);
    const newId = insertUserRows(db, input, passwordHash, Date.now());
    recordAudit(db, actor, {
      action: "user.create",
      target: `user:${newId}`,
      details: { name: input.name, email: input.email, role: input.role, accountManagerName: input.accountManagerName },
    });
    return newId;
  })();
  const user = getUser(db, id);
  if (!user) throw new Error(`User ${id} vanished right after it was created`);
  return user;
}

/**
 * The first administrator, only while there are no users at all. The check and the insert
 * share one transaction, so two people racing through setup cannot both become admin.
 */
export async function createFirstAdmin(db: Database, input: SetupInput): Promise<UserSummary> {
  const passwordHash = await hashPassword(input.password);
  const id = db.sqlite.transaction(() => {
    if (countUsers(db) > 0) throw new UserChangeError(409, "setup_done", "Setup is complete: an administrator already exists. Sign in instead.");
    const newId = insertUserRows(db, { ...input, role: "admin", accountManagerName: null }, passwordHash, Date.now());
    recordAudit(db, { id: newId, name: input.name }, {
      action: "user.create",
      target: `user:${newId}`,
      details: { name: input.name, email: input.email, role: "admin", firstAdmin: true },
    });
    return newId;
  })();
  const user = getUser(db, id);
  if (!user) throw new Error(`User ${id} vanished right after it was created`);
  return user;
}

function otherActiveAdmins(db: Database, id: string): number {
  return db.sqlite.prepare("SELECT count(*) FROM users WHERE role = 'admin' AND deactivated_at IS NULL AND id <> ?").pluck().get(id) as number;
}

function revokeSessions(db: Database, userId: string): number {
  return db.sqlite.prepare("DELETE FROM sessions WHERE user_id = ?").run(userId).changes;
}

/**
 * Changes a user's name, role, book or active state. Refuses to demote or deactivate the last
 * active administrator (nobody could manage users any more) and an admin deactivating
 * themselves. Deactivating revokes every session of the user at once.
 */
export function updateUser(db: Database, actor: AuditActor, id: string, change: UpdateUserInput): UserSummary {
  db.sqlite.transaction(() => {
    const before = getUser(db, id);
    if (!before) throw new UserChangeError(404, "not_found", "There is no such user.");
    const losesAdmin =
      before.role === "admin" && before.active && ((change.role !== undefined && change.role !== "admin") || change.active === false);
    if (losesAdmin && otherActiveAdmins(db, id) === 0) {
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
      assertBookExists(db, change.accountManagerName);
    }

    const now = Date.now();
    const target = `user:${id}`;
    if (change.name !== undefined && change.name !== before.name) {
      db.sqlite.prepare("UPDATE users SET name = ?, updated_at = ? WHERE id = ?").run(change.name, now, id);
      recordAudit(db, actor, { action: "user.rename", target, details: { from: before.name, to: change.name } });
    }
    if (change.role !== undefined && change.role !== before.role) {
      db.sqlite.prepare("UPDATE users SET role = ?, updated_at = ? WHERE id = ?").run(change.role, now, id);
      recordAudit(db, actor, { action: "user.role_change", target, details: { email: before.email, from: before.role, to: change.role } });
    }
    if (change.accountManagerName !== undefined && change.accountManagerName !== before.accountManagerName) {
      db.sqlite.prepare("UPDATE users SET account_manager_name = ?, updated_at = ? WHERE id = ?").run(change.accountManagerName, now, id);
      recordAudit(db, actor, {
        action: "user.book_change",
        target,
        details: { email: before.email, from: before.accountManagerName, to: change.accountManagerName },
      });
    }
    if (change.active === false && before.active) {
      db.sqlite.prepare("UPDATE users SET deactivated_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
      const revoked = revokeSessions(db, id);
      recordAudit(db, actor, { action: "user.deactivate", target, details: { email: before.email, sessionsRevoked: revoked } });
    } else if (change.active === true && !before.active) {
      db.sqlite.prepare("UPDATE users SET deactivated_at = NULL, updated_at = ? WHERE id = ?").run(now, id);
      recordAudit(db, actor, { action: "user.reactivate", target, details: { email: before.email } });
    }
  })();
  const after = getUser(db, id);
  if (!after) throw new UserChangeError(404, "not_found", "There is no such user.");
  return after;
}

/** Sets a new password chosen by an administrator and signs the user out everywhere. */
export async function resetUserPassword(db: Database, actor: AuditActor, id: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  db.sqlite.transaction(() => {
    const user = getUser(db, id);
    if (!user) throw new UserChangeError(404, "not_found", "There is no such user.");
    const now = Date.now();
    const updated = db.sqlite
      .prepare("UPDATE auth_accounts SET password = ?, updated_at = ? WHERE user_id = ? AND provider_id = 'credential'")
      .run(passwordHash, now, id).changes;
    if (updated === 0) {
      db.sqlite
        .prepare(
          `INSERT INTO auth_accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
           VALUES (?, ?, 'credential', ?, ?, ?, ?)`,
        )
        .run(crypto.randomUUID(), id, id, passwordHash, now, now);
    }
    const revoked = revokeSessions(db, id);
    recordAudit(db, actor, { action: "user.password_reset", target: `user:${id}`, details: { email: user.email, sessionsRevoked: revoked } });
  })();
}

/** The API response for a refused change. */
export function userChangeErrorResponse(error: UserChangeError): Response {
  return apiError(error.status, error.code, error.message, { field: error.field });
}
