import { isRole, ROLE_LABELS } from "../auth/roles";

/**
 * How an audit entry reads for people: a short label for the action and one sentence of what
 * changed. Actions this file does not know (added by other features) still read sensibly.
 */
export interface AuditEntryLike {
  action: string;
  target: string;
  details: Record<string, unknown>;
}

const ACTION_LABELS: Record<string, string> = {
  "user.create": "User created",
  "user.rename": "User renamed",
  "user.role_change": "Role changed",
  "user.book_change": "Book changed",
  "user.deactivate": "User deactivated",
  "user.reactivate": "User reactivated",
  "user.password_reset": "Password reset",
  "event_type.map": "Event name mapped",
  "event_type.keep": "Held event type kept",
};

export function auditActionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/[._]/g, " ").trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : "Action";
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function role(value: unknown): string {
  return isRole(value) ? ROLE_LABELS[value].toLowerCase() : String(value);
}

export function describeAuditEntry(entry: AuditEntryLike): string {
  const d = entry.details;
  const who = text(d.email) ?? text(d.name) ?? entry.target;
  switch (entry.action) {
    case "user.create":
      return `${text(d.name) ?? who} (${text(d.email) ?? "no email"}) as ${role(d.role)}${d.firstAdmin === true ? ", the first administrator" : ""}${
        text(d.accountManagerName) ? `, book ${text(d.accountManagerName)}` : ""
      }`;
    case "user.rename":
      return `${text(d.from) ?? "?"} → ${text(d.to) ?? "?"}`;
    case "user.role_change":
      return `${who}: ${role(d.from)} → ${role(d.to)}`;
    case "user.book_change":
      return `${who}: ${text(d.from) ?? "no book"} → ${text(d.to) ?? "no book"}`;
    case "user.deactivate":
      return `${who}${typeof d.sessionsRevoked === "number" ? `; ${d.sessionsRevoked} session${d.sessionsRevoked === 1 ? "" : "s"} ended` : ""}`;
    case "user.reactivate":
      return who;
    case "user.password_reset":
      return `${who}; signed out everywhere`;
    case "event_type.map": {
      const from = d.from as { label?: unknown } | undefined;
      const to = d.to as { label?: unknown } | undefined;
      const events = typeof d.events === "number" ? d.events : 0;
      const accounts = typeof d.accounts === "number" ? d.accounts : 0;
      return `“${text(from?.label) ?? "?"}” → ${text(to?.label) ?? "?"}: ${events} event${events === 1 ? "" : "s"} moved, ${accounts} account${accounts === 1 ? "" : "s"} rescored`;
    }
    case "event_type.keep":
      return `“${text(d.label) ?? entry.target}” kept as an event type of its own`;
    default: {
      const parts = Object.entries(d)
        .slice(0, 6)
        .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
      return [entry.target, ...parts].filter(Boolean).join(" · ");
    }
  }
}
