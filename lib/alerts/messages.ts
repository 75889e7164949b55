import { isoDateFromDay } from "../days";
import { formatDate, formatDelta, formatPoints } from "../format";
import { BAND_INFO, type Band } from "../scoring/bands";
import { scoreGroup, scoreGroupLabel, type Activity } from "../scoring/standing";
import { RULE_INFO, type RuleKind } from "./rules";

/**
 * What an alert says, in every channel: the in-app notification, the task, the email, the
 * Slack message and the webhook payload all start from one AlertData (stored with the alert).
 */
export interface WhyLine {
  /** The event type's key and label. */
  eventType: string;
  label: string;
  /** Its change of the score against the comparison day, in points. */
  change: number;
}

export interface AlertData {
  alertId: string;
  rule: { kind: RuleKind; name: string };
  firedAt: string;
  account: {
    /** Your id of the account (the one ingestion uses). */
    id: string;
    name: string;
    manager: string | null;
    plan: string | null;
    /** The account's page in this app. */
    url: string;
  };
  score: {
    current: number;
    /** The score before the change that fired the rule. */
    before: number;
    band: Band;
    bandBefore: Band;
    /** What the score means (lib/scoring/standing.ts): active, silent or not_active_yet; before and after the change. */
    activity: Activity;
    activityBefore: Activity;
    declining: boolean;
    /** The score `compareDays` ago (what "declining" compares with); null for a new account, which did not exist then. */
    compared: number | null;
    compareDays: number;
  };
  why: WhyLine[];
  renewalDate: string | null;
  trialEndDate: string | null;
  title: string;
  summary: string;
}

/** What the evaluator knows when a rule fires, before the texts are written. */
export interface AlertFacts {
  kind: RuleKind;
  accountName: string;
  currentHundredths: number;
  beforeHundredths: number;
  band: Band;
  bandBefore: Band;
  activity: Activity;
  activityBefore: Activity;
  /** Null for a new account (no previous score). */
  comparedHundredths: number | null;
  compareDays: number;
  windowDays: number;
  renewalDay: number | null;
  trialEndDay: number | null;
  today: number;
  /** trial_ending: the threshold, in points. */
  belowScore?: number;
  why: readonly WhyLine[];
}

function whyText(why: readonly WhyLine[]): string {
  const moved = why.filter((w) => w.change !== 0).slice(0, 3);
  if (moved.length === 0) return "";
  return ` Why it moved: ${moved.map((w) => `${w.label} ${formatDelta(Math.round(w.change * 100))}`).join(", ")}.`;
}

function daysText(n: number): string {
  return n === 0 ? "today" : n === 1 ? "tomorrow" : `in ${n} days`;
}

/** The alert's title and one-paragraph summary. */
export function alertText(f: AlertFacts): { title: string; summary: string } {
  const score = formatPoints(f.currentHundredths);
  const before = formatPoints(f.beforeHundredths);
  switch (f.kind) {
    case "band_drop":
      return {
        title: `${f.accountName} dropped from ${BAND_INFO[f.bandBefore].label} to ${BAND_INFO[f.band].label}`,
        summary: `Score ${score} (was ${before}).${whyText(f.why)}`,
      };
    case "churn_risk": {
      // Why the account is at churn risk, as lib/scoring/standing.ts says it; "was" names where it came from.
      const was = f.activityBefore === "not_active_yet" ? "was not active yet" : `was ${before}`;
      const why =
        f.activity === "silent"
          ? `silent: no event that counts toward the score in the last ${f.windowDays} days`
          : "negative signals outweigh usage";
      return { title: `${f.accountName} entered churn risk`, summary: `Score ${score} (${was}): ${why}.${whyText(f.why)}` };
    }
    case "declining": {
      if (f.comparedHundredths === null) return { title: `${f.accountName} is declining`, summary: `Score ${score}.${whyText(f.why)}` };
      const drop = f.comparedHundredths - f.currentHundredths;
      const percent = f.comparedHundredths > 0 ? ` (${Math.round((drop / f.comparedHundredths) * 100)} %)` : "";
      return {
        title: `${f.accountName} is declining`,
        summary: `Score ${score}, down ${formatPoints(drop)}${percent} against ${f.compareDays} days ago.${whyText(f.why)}`,
      };
    }
    case "power_user":
      return {
        title: `${f.accountName} became a power user`,
        summary: `Score ${score} (${f.activityBefore === "not_active_yet" ? "was not active yet" : `was ${before}`}): time for upsell and advocacy.${whyText(f.why)}`,
      };
    case "renewal_window": {
      const date = f.renewalDay === null ? "soon" : `on ${formatDate(isoDateFromDay(f.renewalDay))}`;
      const left = f.renewalDay === null ? "" : ` (${daysText(f.renewalDay - f.today)})`;
      return { title: `${f.accountName} renews ${date}`, summary: `Renewal${left} with a score of ${score} (${BAND_INFO[f.band].label}): call three months before the renewal.` };
    }
    case "trial_ending": {
      const date = f.trialEndDay === null ? "soon" : `on ${formatDate(isoDateFromDay(f.trialEndDay))}`;
      const left = f.trialEndDay === null ? "" : ` ${daysText(f.trialEndDay - f.today)}`;
      const threshold = f.belowScore === undefined ? "" : ` (below ${formatPoints(f.belowScore * 100)})`;
      return { title: `${f.accountName}'s trial ends ${date}`, summary: `The trial ends${left} with a score of ${score}${threshold}.` };
    }
  }
}

export function ruleName(kind: RuleKind): string {
  return RULE_INFO[kind].label;
}

/** The Standard Webhooks body: { type, timestamp, data }. */
export interface WebhookEnvelope<T = unknown> {
  type: string;
  timestamp: string;
  data: T;
}

export function webhookEnvelope<T>(type: string, at: number, data: T): WebhookEnvelope<T> {
  return { type, timestamp: new Date(at).toISOString(), data };
}

/** Slack's mrkdwn needs &, < and > escaped; everything else is shown as written. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/** A readable Slack message: account (linked), the change, score, why it moved, the manager and the rule. */
export function slackAlertMessage(alert: AlertData): SlackMessage {
  const name = slackEscape(alert.account.name);
  const title = slackEscape(alert.title);
  const headline = title.startsWith(name) ? `*<${alert.account.url}|${name}>*${title.slice(name.length)}` : `*${title}*`;
  const facts = [
    `Score *${formatPoints(alert.score.current * 100)}* (${scoreGroupLabel(scoreGroup(alert.score.band, alert.score.activity))})`,
    alert.score.before !== alert.score.current ? `was ${formatPoints(alert.score.before * 100)}` : null,
    alert.account.manager ? `Account manager: ${slackEscape(alert.account.manager)}` : "No account manager",
  ].filter((x): x is string => x !== null);
  const why = alert.why.filter((w) => w.change !== 0).slice(0, 3);
  const blocks: unknown[] = [
    { type: "section", text: { type: "mrkdwn", text: `${headline}\n${facts.join(" · ")}` } },
  ];
  if (why.length > 0) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `Why it moved: ${why.map((w) => `${slackEscape(w.label)} ${formatDelta(Math.round(w.change * 100))}`).join(" · ")}` }],
    });
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `Rule: ${slackEscape(alert.rule.name)} · <${alert.account.url}|Open the account>` }],
  });
  return { text: `${alert.title}. ${alert.summary}`, blocks };
}

/** A plain Slack message (configuration summaries, test messages). */
export function slackTextMessage(title: string, body: string, link: string | null): SlackMessage {
  const linkText = link ? `\n<${link}|Open in the dashboard>` : "";
  return { text: `${title}. ${body}`, blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${slackEscape(title)}*\n${slackEscape(body)}${linkText}` } }] };
}
