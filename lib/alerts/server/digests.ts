import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Column, Columns, NotNull } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay, MS_PER_DAY } from "@/lib/days";
import { digestIsEmpty, renderDigest, type Digest, type DigestAlert, type DigestRenewal, type DigestTask } from "../email";
import { appBaseUrl } from "./common";
import { emailConfigured, ensureEmailPreferences, getEmailSettings, oneClickUnsubscribeUrl, unsubscribeUrl, type EmailPayload } from "./email-settings";
import { enqueue } from "./outbox";

/**
 * The daily digest per account manager: "whom to call today" for their book — open tasks,
 * the alerts on their accounts since yesterday, renewals coming up. Built for every manager
 * at once with three queries (grouped in memory), not three per manager.
 */
export const DIGEST_RENEWAL_DAYS = 30;
const MAX_TASKS = 15;
const MAX_ALERTS = 15;
const MAX_RENEWALS = 10;

export interface DigestRecipient {
  userId: string;
  name: string;
  email: string;
  book: string;
}

export interface BuiltDigest {
  recipient: DigestRecipient;
  digest: Digest;
}

/** A user with a book (`book`: their account-manager name) and their digest preference (null: never set). */
type RecipientRow = Columns<typeof schema.users, "name" | "email"> & {
  userId: Column<typeof schema.users, "id">;
  book: NonNullable<Column<typeof schema.users, "accountManagerName">>;
  digest: Column<typeof schema.emailPreferences, "digest"> | null;
};

/** An open assigned task (`book`: its assignee) with its account's name. */
type DigestTaskRow = Columns<typeof schema.tasks, "accountId" | "title" | "playbook" | "dueDate" | "createdAt"> & {
  book: NonNullable<Column<typeof schema.tasks, "assignee">>;
  accountName: Column<typeof schema.accounts, "name">;
};

/** A recent alert (`book`: its account's manager) with its account's name. */
type DigestAlertRow = Columns<typeof schema.alerts, "title" | "summary"> & {
  book: NonNullable<Column<typeof schema.accounts, "accountManager">>;
  accountId: NonNullable<Column<typeof schema.alerts, "accountId">>;
  accountName: Column<typeof schema.accounts, "name">;
};

/** A coming renewal (`book`: the account's manager) with the account's stored score. */
type DigestRenewalRow = NotNull<Columns<typeof schema.accounts, "renewalDate">, "renewalDate"> &
  Columns<typeof schema.accountScores, "scoreHundredths" | "band" | "activity"> & {
    book: NonNullable<Column<typeof schema.accounts, "accountManager">>;
    accountId: Column<typeof schema.accounts, "id">;
    accountName: Column<typeof schema.accounts, "name">;
  };

/** The people a digest goes to: active users with a book, digest not switched off. */
export async function digestRecipients(db: Db, params: { userIds?: readonly string[] } = {}): Promise<DigestRecipient[]> {
  const users = await db.all<RecipientRow>(sql`
    SELECT u.id AS "userId", u.name, u.email, u.account_manager_name AS book, p.digest
    FROM users u LEFT JOIN email_preferences p ON p.user_id = u.id
    WHERE u.account_manager_name IS NOT NULL AND u.deactivated_at IS NULL ORDER BY u.id`);
  const only = params.userIds ? new Set(params.userIds) : null;
  return users.filter((u) => u.digest !== 0 && (!only || only.has(u.userId))).map(({ userId, name, email, book }) => ({ userId, name, email, book }));
}

/** Every recipient's digest for `today` (those with nothing to say are left out). */
export async function buildDigests(db: Db, params: { today: number; now: number; appUrl: string; recipients: readonly DigestRecipient[] }): Promise<BuiltDigest[]> {
  const { today, now, appUrl } = params;
  const books = new Set(params.recipients.map((r) => r.book));
  if (books.size === 0) return [];
  const todayIso = isoDateFromDay(today);
  const accountUrl = (id: number) => `${appUrl}/accounts/${id}`;

  const tasks = await db.all<DigestTaskRow>(sql`
    SELECT t.assignee AS book, t.account_id AS "accountId", a.name AS "accountName", t.title, t.playbook, t.due_date AS "dueDate", t.created_at AS "createdAt"
    FROM tasks t JOIN accounts a ON a.id = t.account_id
    WHERE t.status = 'open' AND t.assignee IS NOT NULL ORDER BY t.due_date, t.id`);
  const alerts = await db.all<DigestAlertRow>(sql`
    SELECT a.account_manager AS book, al.account_id AS "accountId", a.name AS "accountName", al.title, al.summary
    FROM alerts al JOIN accounts a ON a.id = al.account_id
    WHERE al.fired_at > ${now - MS_PER_DAY} AND a.account_manager IS NOT NULL ORDER BY al.fired_at DESC, al.id DESC`);
  const renewals = await db.all<DigestRenewalRow>(sql`
    SELECT a.account_manager AS book, a.id AS "accountId", a.name AS "accountName", a.renewal_date AS "renewalDate",
      s.score_hundredths AS "scoreHundredths", s.band, s.activity
    FROM accounts a JOIN account_scores s ON s.account_id = a.id
    WHERE a.renewal_date >= ${todayIso} AND a.renewal_date <= ${isoDateFromDay(today + DIGEST_RENEWAL_DAYS)}
      AND a.stage <> 'churned' AND a.account_manager IS NOT NULL
    ORDER BY a.renewal_date, a.id`);

  const tasksBy = new Map<string, DigestTask[]>();
  for (const t of tasks) {
    if (!books.has(t.book)) continue;
    const list = tasksBy.get(t.book) ?? [];
    if (list.length < MAX_TASKS) {
      list.push({ accountName: t.accountName, accountUrl: accountUrl(t.accountId), title: t.title, playbook: t.playbook, dueDate: t.dueDate, overdue: t.dueDate < todayIso, isNew: t.createdAt > now - MS_PER_DAY });
    }
    tasksBy.set(t.book, list);
  }
  const alertsBy = new Map<string, DigestAlert[]>();
  for (const a of alerts) {
    if (!books.has(a.book)) continue;
    const list = alertsBy.get(a.book) ?? [];
    if (list.length < MAX_ALERTS) list.push({ accountName: a.accountName, accountUrl: accountUrl(a.accountId), title: a.title, summary: a.summary });
    alertsBy.set(a.book, list);
  }
  const renewalsBy = new Map<string, { shown: DigestRenewal[]; total: number }>();
  for (const r of renewals) {
    if (!books.has(r.book)) continue;
    const entry = renewalsBy.get(r.book) ?? { shown: [], total: 0 };
    entry.total++;
    if (entry.shown.length < MAX_RENEWALS) {
      entry.shown.push({ accountName: r.accountName, accountUrl: accountUrl(r.accountId), renewalDate: r.renewalDate, scoreHundredths: r.scoreHundredths, band: r.band, activity: r.activity });
    }
    renewalsBy.set(r.book, entry);
  }

  const out: BuiltDigest[] = [];
  for (const recipient of params.recipients) {
    const renewal = renewalsBy.get(recipient.book);
    const content = { tasks: tasksBy.get(recipient.book) ?? [], alerts: alertsBy.get(recipient.book) ?? [], renewals: renewal?.shown ?? [] };
    if (digestIsEmpty(content)) continue;
    out.push({
      recipient,
      digest: {
        recipientName: recipient.name,
        book: recipient.book,
        date: todayIso,
        ...content,
        moreRenewals: (renewal?.total ?? 0) - content.renewals.length,
        renewalDays: DIGEST_RENEWAL_DAYS,
        tasksUrl: `${appUrl}/tasks`,
        unsubscribeUrl: "",
      },
    });
  }
  return out;
}

export interface DigestRunSummary {
  recipients: number;
  queued: number;
  skipped: string | null;
}

/**
 * Builds and queues the digests of `today`. The daily run uses the id "dgst_<date>_<user>", so
 * a second run of the same day queues nothing new; "Send now" from the admin page uses a
 * fresh id per click.
 */
export async function queueDigests(db: Db, params: { today: number; now?: number; manual?: boolean; userIds?: readonly string[] }): Promise<DigestRunSummary> {
  const now = params.now ?? Date.now();
  const settings = await getEmailSettings(db);
  if (!emailConfigured(settings)) return { recipients: 0, queued: 0, skipped: "Email is not set up (Admin → Alerts → Email)." };
  const appUrl = appBaseUrl();
  const recipients = await digestRecipients(db, { userIds: params.userIds });
  const digests = await buildDigests(db, { today: params.today, now, appUrl, recipients });
  let queued = 0;
  await db.transaction(async (tx) => {
    for (const { recipient, digest } of digests) {
      const preferences = await ensureEmailPreferences(tx, { userId: recipient.userId });
      const unsubscribe = unsubscribeUrl(appUrl, preferences.unsubscribeToken, "digest");
      const email: EmailPayload = {
        to: recipient.email,
        toName: recipient.name,
        ...renderDigest({ ...digest, unsubscribeUrl: unsubscribe }),
        unsubscribeUrl: unsubscribe,
        oneClickUrl: oneClickUnsubscribeUrl(appUrl, preferences.unsubscribeToken, "digest"),
      };
      const date = isoDateFromDay(params.today);
      const messageId = params.manual ? `dgst_${date}_${recipient.userId}_${now}` : `dgst_${date}_${recipient.userId}`;
      if (await enqueue(tx, { messageId, channel: "email", target: recipient.userId, eventType: "digest", payload: JSON.stringify(email), now })) queued++;
    }
  });
  return { recipients: recipients.length, queued, skipped: null };
}
