import { describe, expect, it } from "vitest";
import { renderDigest, escapeHtml, digestSubject, type Digest } from "./email";
import { alertText, slackAlertMessage, slackEscape, type AlertData } from "./messages";
import { dueText } from "./tasks";
import { badgeCount, formatAgo } from "./time";

const base = {
  accountName: "Acme",
  comparedHundredths: 7000,
  compareDays: 30,
  windowDays: 30,
  activity: "active",
  activityBefore: "active",
  renewalDay: null,
  trialEndDay: null,
  today: 100,
  why: [],
} as const;

describe("alert texts", () => {
  it("say what changed, the score and why it moved", () => {
    expect(
      alertText({
        ...base,
        kind: "band_drop",
        currentHundredths: 3550,
        beforeHundredths: 5200,
        band: "low",
        bandBefore: "medium",
        why: [
          { eventType: "complaint_escalated", label: "Complaint escalated", change: -30 },
          { eventType: "session_started", label: "Session started", change: 4.5 },
          { eventType: "x", label: "Unchanged", change: 0 },
        ],
      }),
    ).toEqual({ title: "Acme dropped from Medium to Low", summary: "Score 35.5 (was 52). Why it moved: Complaint escalated −30, Session started +4.5." });
  });

  it("say why an account entered churn risk: silence after its first window, or negative signals", () => {
    const entered = { ...base, kind: "churn_risk", currentHundredths: 0, beforeHundredths: 0, band: "churn_risk", bandBefore: "churn_risk" } as const;
    expect(alertText({ ...entered, activity: "silent", activityBefore: "not_active_yet" }).summary).toBe(
      "Score 0 (was not active yet): silent: no event that counts toward the score in the last 30 days.",
    );
    expect(alertText({ ...entered, currentHundredths: -500, beforeHundredths: 1200, bandBefore: "low" }).summary).toBe("Score −5 (was 12): negative signals outweigh usage.");
  });

  it("measure a decline against the comparison day", () => {
    expect(alertText({ ...base, kind: "declining", currentHundredths: 5000, beforeHundredths: 5500, band: "medium", bandBefore: "medium" }).summary).toBe(
      "Score 50, down 20 (29 %) against 30 days ago.",
    );
  });

  it("give renewal and trial dates with the days left", () => {
    expect(alertText({ ...base, kind: "renewal_window", currentHundredths: 5500, beforeHundredths: 5500, band: "medium", bandBefore: "medium", renewalDay: 190 })).toEqual({
      title: "Acme renews on 10 Jul 1970",
      summary: "Renewal (in 90 days) with a score of 55 (Medium): call three months before the renewal.",
    });
    expect(alertText({ ...base, kind: "trial_ending", currentHundredths: 1200, beforeHundredths: 1200, band: "low", bandBefore: "low", trialEndDay: 101, belowScore: 40 }).summary).toBe(
      "The trial ends tomorrow with a score of 12 (below 40).",
    );
  });
});

describe("Slack messages", () => {
  it("escape what Slack would read as markup, and link the account", () => {
    expect(slackEscape("A&B <Co>")).toBe("A&amp;B &lt;Co&gt;");
    const alert = {
      alertId: "alrt_x",
      rule: { kind: "band_drop", name: "Drops a band" },
      firedAt: "2026-01-01T00:00:00.000Z",
      account: { id: "acme", name: "A&B <Co>", manager: "Alice", plan: null, url: "https://ces.example.com/accounts/7" },
      score: { current: 35, before: 52, band: "low", bandBefore: "medium", activity: "active", activityBefore: "active", declining: false, compared: 60, compareDays: 30 },
      why: [{ eventType: "c", label: "Complaint escalated", change: -30 }],
      renewalDate: null,
      trialEndDate: null,
      title: "A&B <Co> dropped from Medium to Low",
      summary: "Score 35 (was 52).",
    } satisfies AlertData;
    const message = slackAlertMessage(alert);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("*<https://ces.example.com/accounts/7|A&amp;B &lt;Co&gt;>* dropped from Medium to Low");
    expect(text).toContain("Score *35* (Low) · was 52 · Account manager: Alice");
    expect(text).toContain("Why it moved: Complaint escalated −30");
    expect(message.text).toBe("A&B <Co> dropped from Medium to Low. Score 35 (was 52).");
  });
});

describe("the digest", () => {
  const digest: Digest = {
    recipientName: "Alice",
    book: "Alice Moreau",
    date: "2026-12-07",
    tasks: [{ accountName: "<Acme>", accountUrl: "https://x/accounts/1", title: "<Acme> dropped", playbook: "Call", dueDate: "2026-12-05", overdue: true, isNew: false }],
    alerts: [],
    renewals: [{ accountName: "Globex", accountUrl: "https://x/accounts/2", renewalDate: "2026-12-20", scoreHundredths: 5500, band: "medium", activity: "active" }],
    moreRenewals: 3,
    renewalDays: 30,
    tasksUrl: "https://x/tasks",
    unsubscribeUrl: "https://x/unsubscribe?token=t&list=digest",
  };

  it("counts what is in it in the subject", () => {
    expect(digestSubject(digest)).toBe("Whom to call today: 1 task, 4 renewals · 7 Dec 2026");
  });

  it("escapes names in the HTML part and keeps the text part plain", () => {
    const { text, html } = renderDigest(digest);
    expect(html).toContain("&lt;Acme&gt;");
    expect(html).not.toContain("<Acme>");
    expect(text).toContain("- <Acme>: <Acme> dropped — due 5 Dec 2026 (overdue)");
    expect(text).toContain("… and 3 more.");
    expect(html).toContain('href="https://x/unsubscribe?token=t&amp;list=digest"');
    expect(escapeHtml(`"'&`)).toBe("&quot;&#39;&amp;");
  });

  it("names a renewal's standing as the lists do: an account not active yet is not called churn risk", () => {
    const { text } = renderDigest({
      ...digest,
      renewals: [{ accountName: "Newco", accountUrl: "https://x/accounts/3", renewalDate: "2026-12-21", scoreHundredths: 0, band: "churn_risk", activity: "not_active_yet" }],
    });
    expect(text).toContain("- Newco: renews 21 Dec 2026, score 0 (Not active yet)");
  });
});

describe("small words", () => {
  it("say when a task is due", () => {
    expect(dueText("2026-12-05", 20_793)).toEqual({ text: "Overdue by 1 day", tone: "overdue" });
    expect(dueText("2026-12-06", 20_793)).toEqual({ text: "Due today", tone: "today" });
    expect(dueText("2026-12-07", 20_793)).toEqual({ text: "Due tomorrow", tone: "later" });
    expect(dueText("2026-12-16", 20_793)).toEqual({ text: "Due in 10 days", tone: "later" });
  });

  it("say how long ago, and cap the badge", () => {
    expect(formatAgo(0, 30_000)).toBe("just now");
    expect(formatAgo(0, 5 * 60_000)).toBe("5 min ago");
    expect(formatAgo(0, 3 * 3_600_000)).toBe("3 h ago");
    expect(formatAgo(0, 30 * 3_600_000)).toBe("yesterday");
    expect(formatAgo(0, 72 * 3_600_000)).toBe("3 days ago");
    expect(badgeCount(7)).toBe("7");
    expect(badgeCount(150)).toBe("99+");
  });
});
