import "server-only";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { recordAuditEntry, type Actor } from "./common";

/**
 * SMTP settings (one row, created on the first save), and what each person receives by email
 * (digest, immediate alerts), with the token behind their unsubscribe links.
 */
export const SMTP_SECURITY = ["starttls", "tls", "none"] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface EmailSettings {
  smtpHost: string | null;
  smtpPort: number;
  smtpSecurity: SmtpSecurity;
  smtpUsername: string | null;
  /** Only the server ever reads it. */
  smtpPassword: string | null;
  fromAddress: string | null;
  digestHourUtc: number;
  updatedAt: number | null;
  updatedBy: string | null;
}

/** What the admin page shows: everything but the password. */
export type PublicEmailSettings = Omit<EmailSettings, "smtpPassword"> & { hasPassword: boolean; configured: boolean };

export const DEFAULT_EMAIL_SETTINGS: EmailSettings = {
  smtpHost: null,
  smtpPort: 587,
  smtpSecurity: "starttls",
  smtpUsername: null,
  smtpPassword: null,
  fromAddress: null,
  digestHourUtc: 7,
  updatedAt: null,
  updatedBy: null,
};

function isSecurity(value: string): value is SmtpSecurity {
  return (SMTP_SECURITY as readonly string[]).includes(value);
}

type SettingsRow = Columns<
  typeof schema.alertSettings,
  "smtpHost" | "smtpPort" | "smtpSecurity" | "smtpUsername" | "smtpPassword" | "fromAddress" | "digestHourUtc" | "updatedAt" | "updatedBy"
>;

export async function getEmailSettings(db: Db): Promise<EmailSettings> {
  const row = await db.get<SettingsRow>(sql`SELECT smtp_host AS "smtpHost", smtp_port AS "smtpPort",
      smtp_security AS "smtpSecurity", smtp_username AS "smtpUsername", smtp_password AS "smtpPassword", from_address AS "fromAddress",
      digest_hour_utc AS "digestHourUtc", updated_at AS "updatedAt", updated_by AS "updatedBy"
    FROM alert_settings WHERE id = 1`);
  if (!row) return DEFAULT_EMAIL_SETTINGS;
  if (!isSecurity(row.smtpSecurity)) throw new Error(`alert_settings.smtp_security holds an unknown mode: ${row.smtpSecurity}`);
  return { ...row, smtpSecurity: row.smtpSecurity };
}

/** Email can go out: a host and a sender are set. */
export function emailConfigured(settings: Pick<EmailSettings, "smtpHost" | "fromAddress">): boolean {
  return Boolean(settings.smtpHost && settings.fromAddress);
}

export function publicEmailSettings(settings: EmailSettings): PublicEmailSettings {
  const { smtpPassword, ...rest } = settings;
  return { ...rest, hasPassword: Boolean(smtpPassword), configured: emailConfigured(settings) };
}

export interface SaveEmailSettingsParams {
  actor: Actor;
  smtpHost: string | null;
  smtpPort: number;
  smtpSecurity: SmtpSecurity;
  smtpUsername: string | null;
  /** undefined: keep the stored password; null: remove it. */
  smtpPassword: string | null | undefined;
  fromAddress: string | null;
  digestHourUtc: number;
}

export async function saveEmailSettings(db: Db, params: SaveEmailSettingsParams): Promise<EmailSettings> {
  await db.transaction(async (tx) => {
    const current = await getEmailSettings(tx);
    const password = params.smtpPassword === undefined ? current.smtpPassword : params.smtpPassword;
    await tx.run(sql`INSERT INTO alert_settings (id, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password, from_address, digest_hour_utc, updated_at, updated_by)
      VALUES (1, ${params.smtpHost}, ${params.smtpPort}, ${params.smtpSecurity}, ${params.smtpUsername}, ${password}, ${params.fromAddress},
        ${params.digestHourUtc}, ${Date.now()}, ${params.actor.name})
      ON CONFLICT (id) DO UPDATE SET smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, smtp_security = excluded.smtp_security,
        smtp_username = excluded.smtp_username, smtp_password = excluded.smtp_password, from_address = excluded.from_address,
        digest_hour_utc = excluded.digest_hour_utc, updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
    await recordAuditEntry(tx, params.actor, {
      action: "alerts.email.save",
      target: "alert_settings",
      details: {
        host: params.smtpHost,
        port: params.smtpPort,
        security: params.smtpSecurity,
        from: params.fromAddress,
        digestHourUtc: params.digestHourUtc,
        passwordChanged: params.smtpPassword !== undefined,
      },
    });
  });
  return getEmailSettings(db);
}

export interface EmailPreferences {
  digest: boolean;
  immediate: boolean;
  unsubscribeToken: string;
}

type PreferenceRow = Columns<typeof schema.emailPreferences, "digest" | "immediate" | "unsubscribeToken">;

/** An email preference with its owner's name and address. */
type UnsubscribeRow = Columns<typeof schema.emailPreferences, "userId" | "digest" | "immediate"> & Columns<typeof schema.users, "name" | "email">;

/** A person's email preferences, created (digest and immediate alerts on) the first time they are needed. */
export async function ensureEmailPreferences(db: Db, params: { userId: string }): Promise<EmailPreferences> {
  await db.run(sql`INSERT INTO email_preferences (user_id, digest, immediate, unsubscribe_token, updated_at)
    VALUES (${params.userId}, 1, 1, ${randomBytes(24).toString("base64url")}, ${Date.now()})
    ON CONFLICT (user_id) DO NOTHING`);
  const row = await db.get<PreferenceRow>(sql`SELECT digest, immediate, unsubscribe_token AS "unsubscribeToken" FROM email_preferences WHERE user_id = ${params.userId}`);
  if (!row) throw new Error(`email preferences of user ${params.userId} could not be created (does the user exist?)`);
  return { digest: row.digest === 1, immediate: row.immediate === 1, unsubscribeToken: row.unsubscribeToken };
}

export async function setEmailPreferences(db: Db, params: { userId: string; digest: boolean; immediate: boolean }): Promise<EmailPreferences> {
  await ensureEmailPreferences(db, { userId: params.userId });
  await db.run(sql`UPDATE email_preferences SET digest = ${params.digest ? 1 : 0}, immediate = ${params.immediate ? 1 : 0}, updated_at = ${Date.now()}
    WHERE user_id = ${params.userId}`);
  return ensureEmailPreferences(db, { userId: params.userId });
}

export const UNSUBSCRIBE_LISTS = ["digest", "immediate", "all"] as const;
export type UnsubscribeList = (typeof UNSUBSCRIBE_LISTS)[number];

export interface UnsubscribeTarget {
  userId: string;
  name: string;
  email: string;
  digest: boolean;
  immediate: boolean;
}

/** Who an unsubscribe token belongs to, or null for an unknown token. */
export async function unsubscribeTarget(db: Db, params: { token: string }): Promise<UnsubscribeTarget | null> {
  const row = await db.get<UnsubscribeRow>(sql`
    SELECT p.user_id AS "userId", u.name, u.email, p.digest, p.immediate
    FROM email_preferences p JOIN users u ON u.id = p.user_id WHERE p.unsubscribe_token = ${params.token}`);
  return row ? { ...row, digest: row.digest === 1, immediate: row.immediate === 1 } : null;
}

/** Unsubscribes the token's owner from a list (or both); null for an unknown token. */
export async function unsubscribe(db: Db, params: { token: string; list: UnsubscribeList }): Promise<UnsubscribeTarget | null> {
  const target = await unsubscribeTarget(db, { token: params.token });
  if (!target) return null;
  const digest = params.list === "digest" || params.list === "all" ? 0 : target.digest ? 1 : 0;
  const immediate = params.list === "immediate" || params.list === "all" ? 0 : target.immediate ? 1 : 0;
  await db.run(sql`UPDATE email_preferences SET digest = ${digest}, immediate = ${immediate}, updated_at = ${Date.now()} WHERE unsubscribe_token = ${params.token}`);
  return { ...target, digest: digest === 1, immediate: immediate === 1 };
}

/** The link in an email's footer: a page that confirms before unsubscribing (link scanners only GET). */
export function unsubscribeUrl(appUrl: string, token: string, list: UnsubscribeList): string {
  return `${appUrl}/unsubscribe?token=${encodeURIComponent(token)}&list=${list}`;
}

/** The List-Unsubscribe header's URL: mail clients POST to it (RFC 8058 one-click). */
export function oneClickUnsubscribeUrl(appUrl: string, token: string, list: UnsubscribeList): string {
  return `${appUrl}/api/unsubscribe?token=${encodeURIComponent(token)}&list=${list}`;
}

/** What the outbox holds for an email: the rendered message and its unsubscribe link. */
export interface EmailPayload {
  to: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string;
  oneClickUrl: string;
}
