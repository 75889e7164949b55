import "server-only";
import { createHash, randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";

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

/** A write key as admins see it (never its hash); instants in ms since the epoch. */
export type WriteKeySummary = Columns<typeof schema.writeKeys, "id" | "label" | "prefix" | "createdAt" | "createdBy" | "lastUsedAt" | "revokedAt" | "revokedBy">;

const SUMMARY_COLUMNS = sql.raw(`id, label, prefix, created_at AS "createdAt", created_by AS "createdBy", last_used_at AS "lastUsedAt",
  revoked_at AS "revokedAt", revoked_by AS "revokedBy"`);

/** Active keys first (newest first), then revoked ones. */
export async function listWriteKeys(db: Db): Promise<WriteKeySummary[]> {
  return db.all<WriteKeySummary>(sql`SELECT ${SUMMARY_COLUMNS} FROM write_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`);
}

export interface CreatedWriteKey {
  /** The key itself: show it once, never store it. */
  key: string;
  summary: WriteKeySummary;
}

export interface CreateWriteKeyParams {
  actor: AuditActor;
  label: string;
}

export async function createWriteKey(db: Db, params: CreateWriteKeyParams): Promise<CreatedWriteKey> {
  const { actor, label } = params;
  const key = generateWriteKey();
  const prefix = key.slice(0, KEY_PREFIX_LENGTH);
  const summary = await db.transaction(async (tx) => {
    const row = await tx.get<WriteKeySummary>(
      sql`INSERT INTO write_keys (label, prefix, key_hash, created_by) VALUES (${label}, ${prefix}, ${hashWriteKey(key)}, ${actor.name}) RETURNING ${SUMMARY_COLUMNS}`,
    );
    if (!row) throw new Error("INSERT … RETURNING returned no write key");
    await recordAudit(tx, actor, { action: "key.create", target: `key:${prefix}`, details: { id: row.id, label } });
    return row;
  });
  return { key, summary };
}

export interface RevokeWriteKeyParams {
  actor: AuditActor;
  id: number;
}

/** Revokes a key at once: the next request with it gets 401. Null when there is no such key. */
export async function revokeWriteKey(db: Db, params: RevokeWriteKeyParams): Promise<WriteKeySummary | null> {
  const { actor, id } = params;
  return db.transaction(async (tx) => {
    const row = await tx.get<WriteKeySummary>(
      sql`UPDATE write_keys SET revoked_at = ${Date.now()}, revoked_by = ${actor.name} WHERE id = ${id} AND revoked_at IS NULL RETURNING ${SUMMARY_COLUMNS}`,
    );
    if (!row) return (await tx.get<WriteKeySummary>(sql`SELECT ${SUMMARY_COLUMNS} FROM write_keys WHERE id = ${id}`)) ?? null;
    await recordAudit(tx, actor, { action: "key.revoke", target: `key:${row.prefix}`, details: { id: row.id, label: row.label } });
    return row;
  });
}

export type AuthenticatedKey = Columns<typeof schema.writeKeys, "id" | "prefix">;

/**
 * The active key with this value, or null (unknown or revoked). One indexed lookup (on SQLite
 * through the statement the data layer keeps prepared for this SQL text).
 */
export async function authenticateWriteKey(db: Db, key: string): Promise<AuthenticatedKey | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) return null;
  const row = await db.get<AuthenticatedKey>(sql`SELECT id, prefix FROM write_keys WHERE key_hash = ${hashWriteKey(key)} AND revoked_at IS NULL`);
  return row ?? null;
}
