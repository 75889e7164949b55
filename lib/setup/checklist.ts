import { formatCount } from "../format";

/**
 * The first-run setup checklist: what a new installation needs before its scores mean
 * anything, each step done or not from what the database holds (lib/setup/server/setup.ts gathers
 * the facts). Shown to administrators on the Admin page; every empty page links to the step
 * that fills it (SETUP_STEP_LINKS).
 */
export interface SetupFacts {
  /** Write keys not revoked, and of those, keys that have sent something. */
  activeWriteKeys: number;
  usedWriteKeys: number;
  accounts: number;
  /** Whether any event is stored (attributed to an account). */
  hasEvents: boolean;
  eventTypes: number;
  /** Active event types with a non-zero weight in force. */
  weightedEventTypes: number;
  /** The configuration version in force (0: nothing saved yet). */
  configVersion: number;
  activeUsers: number;
  renewalOutcomes: number;
}

export type SetupStepId = "data" | "weights" | "team" | "outcomes";

export interface SetupAction {
  label: string;
  href: string;
}

export interface SetupStep {
  id: SetupStepId;
  title: string;
  /** What to do, in a sentence. */
  description: string;
  /** Where it stands, from the database. */
  status: string;
  done: boolean;
  /** Optional steps do not count towards "setup complete". */
  optional: boolean;
  actions: SetupAction[];
}

export interface SetupChecklist {
  steps: SetupStep[];
  /** Required steps done, of required steps. */
  done: number;
  required: number;
  complete: boolean;
  /** The first required step not done, else the first optional one not done. */
  next: SetupStepId | null;
}

/** Where each step's work is done; empty pages link here. */
export const SETUP_STEP_LINKS: Record<SetupStepId, SetupAction[]> = {
  data: [
    { label: "Create a write key", href: "/admin/keys" },
    { label: "Import a CSV file", href: "/admin/import" },
  ],
  weights: [{ label: "Set the weights", href: "/admin/weights" }],
  team: [{ label: "Add a user", href: "/admin/users/new" }],
  outcomes: [{ label: "Import renewal outcomes", href: "/admin/import" }],
};

/** The checklist itself lives on the Admin page. */
export const SETUP_CHECKLIST_HREF = "/admin#setup";

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function dataStatus(f: SetupFacts): string {
  if (f.hasEvents) return `${plural(f.accounts, "account", "accounts")} with events.`;
  if (f.accounts > 0) return `${plural(f.accounts, "account", "accounts")}, no events yet: send or import events.`;
  if (f.usedWriteKeys > 0) return "A write key has been used, but no event has reached an account yet: send group or identify calls, or events with an account id.";
  if (f.activeWriteKeys > 0) return `${plural(f.activeWriteKeys, "write key", "write keys")}, nothing received yet.`;
  return "No data yet.";
}

function weightsStatus(f: SetupFacts): string {
  if (f.eventTypes === 0) return "No event types yet: they arrive with your events, or add them by hand.";
  if (f.weightedEventTypes === 0) return `${plural(f.eventTypes, "event type", "event types")}, none weighted yet: every score is 0.`;
  if (f.configVersion === 0) return `${plural(f.weightedEventTypes, "event type", "event types")} weighted, not saved yet.`;
  return `${formatCount(f.weightedEventTypes)} of ${plural(f.eventTypes, "event type", "event types")} weighted.`;
}

export function setupChecklist(f: SetupFacts): SetupChecklist {
  const steps: SetupStep[] = [
    {
      id: "data",
      title: "Bring in your accounts and events",
      description:
        "Create a write key and send product events from your app (Segment SDKs or the HTTP API), or import accounts and events from a CSV file.",
      status: dataStatus(f),
      done: f.accounts > 0 && f.hasEvents,
      optional: false,
      actions: SETUP_STEP_LINKS.data,
    },
    {
      id: "weights",
      title: "Define event types and their weights",
      description:
        "Give each event type a weight: positive for events that show value (higher for more valuable ones), negative for risk signals such as an uninstall. Preview the impact, then save.",
      status: weightsStatus(f),
      done: f.weightedEventTypes > 0 && f.configVersion > 0,
      optional: false,
      actions: SETUP_STEP_LINKS.weights,
    },
    {
      id: "team",
      title: "Invite your team",
      description: "Add your account managers (with the book of accounts each works), leads and viewers.",
      status: f.activeUsers > 1 ? `${plural(f.activeUsers, "user", "users")}.` : "Only you so far.",
      done: f.activeUsers > 1,
      optional: false,
      actions: SETUP_STEP_LINKS.team,
    },
    {
      id: "outcomes",
      title: "Record renewal outcomes (optional)",
      description: "Send what happened at each renewal (renewed, expanded, contracted or churned) so Insights can check how well the score predicts it.",
      status: f.renewalOutcomes > 0 ? `${plural(f.renewalOutcomes, "renewal outcome", "renewal outcomes")}.` : "None yet.",
      done: f.renewalOutcomes > 0,
      optional: true,
      actions: SETUP_STEP_LINKS.outcomes,
    },
  ];
  const required = steps.filter((s) => !s.optional);
  const done = required.filter((s) => s.done).length;
  const next = required.find((s) => !s.done) ?? steps.find((s) => !s.done) ?? null;
  return { steps, done, required: required.length, complete: done === required.length, next: next?.id ?? null };
}
