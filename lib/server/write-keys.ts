import "server-only";
import { createHash, randomInt } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import type { Database } from "@/db";
import { recordAudit, type AuditActor } from "./audit";

/**
 * Write keys: "ces_" + 40 base-62 characters (238 bits). Stored as a SHA-256 hash with the
 * first KEY_PREFIX_LENGTH characters kept visible; the key itself is returned once, by
 * `createWriteKey`, and never stored, logged or written to the audit log.
 */
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_BODY_LENGTH = 40;
export const KEY_PREFIX = "ces_";
export const KEY_PREFIX_LENGTH = 12;

export function generateWriteKey(): string {
  let body = "";
  for (let i = 0; i < KEY_BODY_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return KEY_PREFIX + body;
}

export function hashWriteKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export interface WriteKeySummary {
  id: number;
  label: string;
  prefix: string;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

const SUMMARY_COLUMNS = `id, label, prefix, created_at AS createdAt, created_by AS createdBy, last_used_at AS lastUsedAt,
  revoked_at AS revokedAt, revoked_by AS revokedBy`;

/** Active keys first (newest first), then revoked ones. */
export function listWriteKeys(db: Database): WriteKeySummary[] {
  return db.sqlite
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM write_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`)
    .all() as WriteKeySummary[];
}

export interface CreatedWriteKey {
  /** The key itself: show it once, never store it. */
  key: string;
  summary: WriteKeySummary;
}

export function createWriteKey(db: Database, actor: AuditActor, params: { label: string }): CreatedWriteKey {
  const key = generateWriteKey();
  const prefix = key.slice(0, KEY_PREFIX_LENGTH);
  const summary = db.sqlite.transaction(() => {
    const row = db.sqlite
      .prepare(`INSERT INTO write_keys (label, prefix, key_hash, created_by) VALUES (?, ?, ?, ?) RETURNING ${SUMMARY_COLUMNS}`)
      .get(params.label, prefix, hashWriteKey(key), actor.name) as WriteKeySummary;
    recordAudit(db, actor, { action: "key.create", target: `key:${prefix}`, details: { id: row.id, label: params.label } });
    return row;
  })();
  return { key, summary };
}

/** Revokes a key at once: the next request with it gets 401. Null when there is no such key. */
export function revokeWriteKey(db: Database, actor: AuditActor, id: number): WriteKeySummary | null {
  return db.sqlite.transaction(() => {
    const row = db.sqlite
      .prepare(
        `UPDATE write_keys SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL RETURNING ${SUMMARY_COLUMNS}`,
      )
      .get(Date.now(), actor.name, id) as WriteKeySummary | undefined;
    if (!row) {
      const existing = db.sqlite.prepare(`SELECT ${SUMMARY_COLUMNS} FROM write_keys WHERE id = ?`).get(id) as WriteKeySummary | undefined;
      return existing ?? null;
    }
    recordAudit(db, actor, { action: "key.revoke", target: `key:${row.prefix}`, details: { id: row.id, label: row.label } });
    return row;
  })();
}

export interface AuthenticatedKey {
  id: number;
  prefix: string;
}

const lookups = new WeakMap<Database, BetterSqlite3.Statement>();

/** The active key with this value, or null (unknown or revoked). One indexed lookup. */
export function authenticateWriteKey(db: Database, key: string): AuthenticatedKey | null {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  let statement = lookups.get(db);
  if (!statement) {
    statement = db.sqlite.prepare("SELECT id, prefix FROM write_keys WHERE key_hash = ? AND revoked_at IS NULL");
    lookups.set(db, statement);
  }
  return (statement.get(hashWriteKey(key)) as AuthenticatedKey | undefined) ?? null;
}
