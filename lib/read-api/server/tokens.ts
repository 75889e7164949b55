import "server-only";
import { createHash, randomInt } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { recordAuditEntry, type Actor } from "@/lib/alerts/server/common";

/**
 * Read-only API tokens: "cesr_" + 40 base-62 characters (238 bits), distinct from write keys
 * ("ces_…") so neither can be mistaken for the other. Stored as a SHA-256 hash with a visible
 * prefix; the token itself is shown once. Each token carries scopes; an endpoint names the
 * scope it needs.
 */
export const TOKEN_PREFIX = "cesr_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BODY_LENGTH = 40;
const VISIBLE_PREFIX_LENGTH = 13;

export const API_SCOPES = ["scores:read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  "scores:read": "Read current scores, bands and changes (GET /api/v1/accounts/{id}/score, GET /api/v1/scores).",
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  let body = "";
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return TOKEN_PREFIX + body;
}

export interface ApiTokenSummary {
  id: number;
  label: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

type TokenRow = Columns<typeof schema.apiTokens, "id" | "label" | "prefix" | "scopes" | "createdAt" | "createdBy" | "lastUsedAt" | "revokedAt" | "revokedBy">;

const COLUMNS = sql`id, label, prefix, scopes, created_at AS "createdAt", created_by AS "createdBy", last_used_at AS "lastUsedAt",
  revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

const scopesSchema = z.array(z.enum(API_SCOPES));

function toSummary(row: TokenRow): ApiTokenSummary {
  const scopes = scopesSchema.safeParse(JSON.parse(row.scopes));
  if (!scopes.success) throw new Error(`api_tokens.scopes of token ${row.id} is invalid: ${row.scopes}`);
  return { ...row, scopes: scopes.data };
}

/** Active tokens first (newest first), then revoked ones. */
export async function listApiTokens(db: Db): Promise<ApiTokenSummary[]> {
  const rows = await db.all<TokenRow>(sql`SELECT ${COLUMNS} FROM api_tokens ORDER BY CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC`);
  return rows.map(toSummary);
}

export async function createApiToken(db: Db, params: { actor: Actor; label: string; scopes: ApiScope[] }): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = generateToken();
  const prefix = token.slice(0, VISIBLE_PREFIX_LENGTH);
  const summary = await db.transaction(async (tx) => {
    const row = await tx.get<TokenRow>(sql`INSERT INTO api_tokens (label, prefix, token_hash, scopes, created_at, created_by)
      VALUES (${params.label}, ${prefix}, ${hashToken(token)}, ${JSON.stringify(params.scopes)}, ${Date.now()}, ${params.actor.name})
      RETURNING ${COLUMNS}`);
    if (!row) throw new Error("INSERT … RETURNING returned nothing");
    await recordAuditEntry(tx, params.actor, { action: "api_token.create", target: `api_token:${prefix}`, details: { id: row.id, label: params.label, scopes: params.scopes } });
    return toSummary(row);
  });
  return { token, summary };
}

/** Revokes a token at once; null when there is no such token. */
export async function revokeApiToken(db: Db, params: { actor: Actor; id: number }): Promise<ApiTokenSummary | null> {
  return db.transaction(async (tx) => {
    const row = await tx.get<TokenRow>(sql`UPDATE api_tokens SET revoked_at = ${Date.now()}, revoked_by = ${params.actor.name}
      WHERE id = ${params.id} AND revoked_at IS NULL RETURNING ${COLUMNS}`);
    if (!row) {
      const existing = await tx.get<TokenRow>(sql`SELECT ${COLUMNS} FROM api_tokens WHERE id = ${params.id}`);
      return existing ? toSummary(existing) : null;
    }
    await recordAuditEntry(tx, params.actor, { action: "api_token.revoke", target: `api_token:${row.prefix}`, details: { id: row.id, label: row.label } });
    return toSummary(row);
  });
}

export interface AuthenticatedToken {
  id: number;
  prefix: string;
  scopes: ApiScope[];
}

const LAST_USED_PRECISION_MS = 60_000;

/** The active token with this value, or null (unknown, revoked, or not a read token). */
export async function authenticateApiToken(db: Db, token: string): Promise<AuthenticatedToken | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.get<Columns<typeof schema.apiTokens, "id" | "prefix" | "scopes" | "lastUsedAt">>(sql`SELECT id, prefix, scopes, last_used_at AS "lastUsedAt"
    FROM api_tokens WHERE token_hash = ${hashToken(token)} AND revoked_at IS NULL`);
  if (!row) return null;
  const now = Date.now();
  // "Last used" to the minute: one write a minute per token at most, not one per request.
  if (row.lastUsedAt === null || now - row.lastUsedAt > LAST_USED_PRECISION_MS) {
    await db.run(sql`UPDATE api_tokens SET last_used_at = ${now} WHERE id = ${row.id}`);
  }
  const scopes = scopesSchema.safeParse(JSON.parse(row.scopes));
  if (!scopes.success) throw new Error(`api_tokens.scopes of token ${row.id} is invalid: ${row.scopes}`);
  return { id: row.id, prefix: row.prefix, scopes: scopes.data };
}

/** The token of an `Authorization: Bearer …` header (or null). */
export function bearerToken(header: string | null): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}
