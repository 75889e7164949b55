import { formatDate, formatPoints } from "../format";
import type { Band } from "../scoring/bands";
import { scoreGroup, scoreGroupLabel, type Activity } from "../scoring/standing";
import type { AlertData } from "./messages";

/**
 * The emails: the daily digest per account manager ("whom to call today") and immediate
 * alerts, each as a text and an HTML part with the same content. Every value that comes
 * from data (account names, notes) is escaped in the HTML part.
 */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface DigestTask {
  accountName: string;
  accountUrl: string;
  title: string;
  playbook: string;
  dueDate: string;
  overdue: boolean;
  /** Created since the previous digest. */
  isNew: boolean;
}

export interface DigestAlert {
  accountName: string;
  accountUrl: string;
  title: string;
  summary: string;
}

export interface DigestRenewal {
  accountName: string;
  accountUrl: string;
  renewalDate: string;
  scoreHundredths: number;
  band: Band;
  /** What the score means: an account not active yet reads "Not active yet", not its band (lib/scoring/standing.ts). */
  activity: Activity;
}

export interface Digest {
  recipientName: string;
  /** The book: accounts.account_manager. */
  book: string;
  /** The day the digest is for, ISO. */
  date: string;
  tasks: DigestTask[];
  /** Alerts on the book since the previous digest: drops, churn risk, declining, trials… */
  alerts: DigestAlert[];
  renewals: DigestRenewal[];
  /** How many renewals in the window beyond those listed. */
  moreRenewals: number;
  renewalDays: number;
  tasksUrl: string;
  unsubscribeUrl: string;
}

export function digestIsEmpty(d: Pick<Digest, "tasks" | "alerts" | "renewals">): boolean {
  return d.tasks.length === 0 && d.alerts.length === 0 && d.renewals.length === 0;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function digestSubject(d: Digest): string {
  const parts: string[] = [];
  if (d.tasks.length > 0) parts.push(plural(d.tasks.length, "task", "tasks"));
  if (d.alerts.length > 0) parts.push(plural(d.alerts.length, "alert", "alerts"));
  if (d.renewals.length > 0) parts.push(plural(d.renewals.length + d.moreRenewals, "renewal", "renewals"));
  return `Whom to call today: ${parts.join(", ")} · ${formatDate(d.date)}`;
}

const FONT = "font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif";

function htmlFrame(title: string, body: string, footer: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f1f5f9;${FONT};color:#0f172a">
<div style="max-width:600px;margin:0 auto;padding:24px 16px">
<div style="background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:24px">
${body}
</div>
<p style="font-size:12px;color:#64748b;line-height:1.5;margin:16px 4px">${footer}</p>
</div></body></html>`;
}

function htmlSection(title: string, items: string[]): string {
  if (items.length === 0) return "";
  return `<h2 style="font-size:15px;margin:24px 0 8px">${escapeHtml(title)}</h2><ul style="padding-left:18px;margin:0">${items.map((i) => `<li style="margin:0 0 10px;line-height:1.45">${i}</li>`).join("")}</ul>`;
}

function link(url: string, text: string): string {
  return `<a href="${escapeHtml(url)}" style="color:#1d4ed8;font-weight:600">${escapeHtml(text)}</a>`;
}

export function renderDigest(d: Digest): RenderedEmail {
  const subject = digestSubject(d);
  const text: string[] = [`Good morning ${d.recipientName},`, "", `Whom to call today in ${d.book}'s book (${formatDate(d.date)}).`];
  if (d.tasks.length > 0) {
    text.push("", "TASKS");
    for (const t of d.tasks) {
      text.push(`- ${t.accountName}: ${t.title} — due ${formatDate(t.dueDate)}${t.overdue ? " (overdue)" : ""}${t.isNew ? " (new)" : ""}`, `  ${t.playbook}`, `  ${t.accountUrl}`);
    }
  }
  if (d.alerts.length > 0) {
    text.push("", "SCORE ALERTS SINCE YESTERDAY");
    for (const a of d.alerts) text.push(`- ${a.title}. ${a.summary}`, `  ${a.accountUrl}`);
  }
  if (d.renewals.length > 0) {
    text.push("", `RENEWALS IN THE NEXT ${d.renewalDays} DAYS`);
    for (const r of d.renewals) text.push(`- ${r.accountName}: renews ${formatDate(r.renewalDate)}, score ${formatPoints(r.scoreHundredths)} (${scoreGroupLabel(scoreGroup(r.band, r.activity))})`, `  ${r.accountUrl}`);
    if (d.moreRenewals > 0) text.push(`  … and ${d.moreRenewals} more.`);
  }
  text.push("", `All your tasks: ${d.tasksUrl}`, "", `You get this email because daily digests are on for you. Unsubscribe: ${d.unsubscribeUrl}`);

  const body = [
    `<p style="margin:0 0 4px;font-size:13px;color:#64748b">${escapeHtml(formatDate(d.date))}</p>`,
    `<h1 style="font-size:20px;margin:0 0 4px">Whom to call today</h1>`,
    `<p style="margin:0;color:#475569">Good morning ${escapeHtml(d.recipientName)}: here is ${escapeHtml(d.book)}'s book.</p>`,
    htmlSection(
      "Tasks",
      d.tasks.map(
        (t) =>
          `${link(t.accountUrl, t.accountName)}: ${escapeHtml(t.title)}<br><span style="color:#475569">${escapeHtml(t.playbook)}</span><br><span style="font-size:13px;color:${t.overdue ? "#b91c1c" : "#64748b"}">Due ${escapeHtml(formatDate(t.dueDate))}${t.overdue ? " · overdue" : ""}${t.isNew ? " · new" : ""}</span>`,
      ),
    ),
    htmlSection(
      "Score alerts since yesterday",
      d.alerts.map((a) => `${link(a.accountUrl, a.title)}<br><span style="color:#475569">${escapeHtml(a.summary)}</span>`),
    ),
    htmlSection(
      `Renewals in the next ${d.renewalDays} days`,
      [
        ...d.renewals.map(
          (r) => `${link(r.accountUrl, r.accountName)}: renews ${escapeHtml(formatDate(r.renewalDate))}, score ${escapeHtml(formatPoints(r.scoreHundredths))} (${escapeHtml(scoreGroupLabel(scoreGroup(r.band, r.activity)))})`,
        ),
        ...(d.moreRenewals > 0 ? [`… and ${d.moreRenewals} more.`] : []),
      ],
    ),
    `<p style="margin:24px 0 0"><a href="${escapeHtml(d.tasksUrl)}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;font-weight:600;padding:10px 16px;border-radius:8px">Open my tasks</a></p>`,
  ].join("\n");
  const footer = `You get this email because daily digests are on for you. ${link(d.unsubscribeUrl, "Unsubscribe")}.`;
  return { subject, text: text.join("\n"), html: htmlFrame(subject, body, footer) };
}

export function renderAlertEmail(alert: AlertData, unsubscribeUrl: string): RenderedEmail {
  const subject = alert.title;
  const why = alert.why.filter((w) => w.change !== 0).slice(0, 3);
  const text = [
    alert.title,
    "",
    alert.summary,
    "",
    `Rule: ${alert.rule.name}`,
    `Account manager: ${alert.account.manager ?? "none"}`,
    `Open the account: ${alert.account.url}`,
    "",
    `You get this email because immediate alerts are on for you. Unsubscribe: ${unsubscribeUrl}`,
  ].join("\n");
  const body = [
    `<h1 style="font-size:20px;margin:0 0 8px">${escapeHtml(alert.title)}</h1>`,
    `<p style="margin:0 0 12px;color:#334155;line-height:1.5">${escapeHtml(alert.summary)}</p>`,
    why.length > 0
      ? `<p style="margin:0 0 12px;font-size:13px;color:#64748b">Why it moved: ${why.map((w) => escapeHtml(`${w.label} ${w.change > 0 ? "+" : "−"}${formatPoints(Math.abs(w.change) * 100)}`)).join(" · ")}</p>`
      : "",
    `<p style="margin:0 0 16px;font-size:13px;color:#64748b">Rule: ${escapeHtml(alert.rule.name)} · Account manager: ${escapeHtml(alert.account.manager ?? "none")}</p>`,
    `<p style="margin:0"><a href="${escapeHtml(alert.account.url)}" style="display:inline-block;background:#2563eb;color:#ffffff;text-decoration:none;font-weight:600;padding:10px 16px;border-radius:8px">Open the account</a></p>`,
  ].join("\n");
  return { subject, text, html: htmlFrame(subject, body, `You get this email because immediate alerts are on for you. ${link(unsubscribeUrl, "Unsubscribe")}.`) };
}
