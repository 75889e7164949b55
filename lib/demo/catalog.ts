/**
 * What the demo company looks like: its event types (with default weights that populate
 * every band), plans, regions, industries and account managers.
 */
export interface DemoEventType {
  key: string;
  label: string;
  description: string;
  /** Default weight, in points. */
  weight: number;
  /** Expected events per active day for an account of activity 1. */
  rate: number;
  /** A risk signal: more frequent while an account is declining. */
  risk?: boolean;
  /**
   * Working with colleagues: the first thing to go when an account's champion leaves, weeks
   * before logins drop (a leading indicator the default weights underrate).
   */
  collaboration?: boolean;
}

export const DEMO_EVENT_TYPES: readonly DemoEventType[] = [
  { key: "session_started", label: "Session started", description: "A user started a session in the product.", weight: 1.2, rate: 0.75 },
  { key: "message_sent", label: "Message sent", description: "A message was sent or replied to inside the product.", weight: 0.6, rate: 0.4 },
  { key: "colleague_invited", label: "Colleague invited", description: "A user invited a colleague to the platform.", weight: 4, rate: 0.02, collaboration: true },
  { key: "report_created", label: "Report created", description: "A new report was created.", weight: 2, rate: 0.08, collaboration: true },
  { key: "integration_connected", label: "Integration connected", description: "An integration with another tool was connected.", weight: 5, rate: 0.005 },
  { key: "data_exported", label: "Data exported", description: "Data was exported to a file or another system.", weight: 1, rate: 0.05 },
  { key: "dashboard_shared", label: "Dashboard shared", description: "A dashboard was shared with people outside the account's users.", weight: 2, rate: 0.03, collaboration: true },
  { key: "workflow_automated", label: "Workflow automated", description: "An automation or scheduled workflow was set up.", weight: 3, rate: 0.012, collaboration: true },
  { key: "webinar_registered", label: "Webinar registration", description: "Someone registered for a webinar or event (offline participation).", weight: 3, rate: 0.008 },
  { key: "mobile_app_installed", label: "Mobile app installed", description: "The mobile app was downloaded and signed in.", weight: 3, rate: 0.006 },
  { key: "comment_posted", label: "Comment posted", description: "A comment, like or share on shared content.", weight: 1, rate: 0.12, collaboration: true },
  { key: "link_clicked", label: "Link clicked", description: "A link in an email or the app was clicked. Action, not engagement: weight 0.", weight: 0, rate: 0.15 },
  { key: "support_ticket_opened", label: "Support ticket opened", description: "A support ticket was opened.", weight: -1, rate: 0.02, risk: true },
  { key: "complaint_escalated", label: "Complaint escalated", description: "A complaint was escalated to management.", weight: -15, rate: 0.001, risk: true },
  { key: "mobile_app_uninstalled", label: "Mobile app uninstalled", description: "The mobile app was uninstalled.", weight: -10, rate: 0.0015, risk: true },
  { key: "integration_disconnected", label: "Integration disconnected", description: "A connected integration was removed.", weight: -8, rate: 0.001, risk: true },
];

/**
 * The benchmark's wider product (issue #8: ~25 event types, ~20 M events a year at 50,000
 * accounts): the demo's types plus nine more. Each type is rarer than in the default demo
 * (the profile's activity scale), and weights are scaled up by the inverse so that points
 * per account, hence the score bands, stay close to the demo's.
 */
const BENCHMARK_EXTRA_EVENT_TYPES: readonly DemoEventType[] = [
  { key: "dashboard_viewed", label: "Dashboard viewed", description: "A dashboard was opened.", weight: 0.2, rate: 0.35 },
  { key: "search_performed", label: "Search performed", description: "A search was run inside the product.", weight: 0.3, rate: 0.2 },
  { key: "task_completed", label: "Task completed", description: "A task or to-do was marked done.", weight: 0.8, rate: 0.15 },
  { key: "file_uploaded", label: "File uploaded", description: "A file was uploaded.", weight: 1, rate: 0.06 },
  { key: "onboarding_step_completed", label: "Onboarding step completed", description: "A step of the onboarding checklist was completed.", weight: 2, rate: 0.01 },
  { key: "survey_answered", label: "Survey answered", description: "A micro-survey or NPS question was answered.", weight: 1.5, rate: 0.01 },
  { key: "seat_added", label: "Seat added", description: "A paid seat was added to the account.", weight: 4, rate: 0.006 },
  { key: "api_token_created", label: "API token created", description: "An API token was created for an integration.", weight: 3, rate: 0.004 },
  { key: "nps_detractor", label: "NPS detractor response", description: "An NPS answer of 0–6.", weight: -6, rate: 0.0015, risk: true },
];

/** A demo company's product: its event types and how active its accounts are. */
export interface DemoProfile {
  name: string;
  eventTypes: readonly DemoEventType[];
  /** Multiplies every account's activity (1 = the default demo). */
  activityScale: number;
}

/** The default demo (npm run demo, tests): its output never changes with the benchmark's. */
export const DEFAULT_DEMO_PROFILE: DemoProfile = { name: "demo", eventTypes: DEMO_EVENT_TYPES, activityScale: 1 };

const BENCHMARK_ACTIVITY_SCALE = 0.522;
const BENCHMARK_WEIGHT_SCALE = 1.55;

/** The benchmark's product: 25 event types, ~400 events per account a year. */
export const BENCHMARK_DEMO_PROFILE: DemoProfile = {
  name: "benchmark",
  eventTypes: [...DEMO_EVENT_TYPES, ...BENCHMARK_EXTRA_EVENT_TYPES].map((t) => ({
    ...t,
    weight: Math.round(t.weight * BENCHMARK_WEIGHT_SCALE * 100) / 100,
  })),
  activityScale: BENCHMARK_ACTIVITY_SCALE,
};

export const DEMO_PROFILES = { demo: DEFAULT_DEMO_PROFILE, benchmark: BENCHMARK_DEMO_PROFILE } as const;
export type DemoProfileName = keyof typeof DEMO_PROFILES;

export interface DemoPlan {
  name: string;
  share: number;
  /** Activity multiplier: bigger plans have more seats. */
  activity: number;
  arr: readonly [number, number];
}

export const DEMO_PLANS: readonly DemoPlan[] = [
  { name: "Starter", share: 0.4, activity: 0.8, arr: [3_000, 12_000] },
  { name: "Growth", share: 0.3, activity: 1.0, arr: [12_000, 40_000] },
  { name: "Business", share: 0.2, activity: 1.2, arr: [40_000, 120_000] },
  { name: "Enterprise", share: 0.1, activity: 1.45, arr: [120_000, 480_000] },
];

export const DEMO_REGIONS = ["North America", "Europe", "Asia Pacific", "Latin America", "Middle East & Africa"] as const;
export const DEMO_REGION_SHARES = [0.38, 0.3, 0.17, 0.09, 0.06] as const;

export const DEMO_INDUSTRIES = [
  "Software",
  "Financial services",
  "Healthcare",
  "Retail",
  "Manufacturing",
  "Education",
  "Media",
  "Logistics",
] as const;

export const DEMO_ACCOUNT_MANAGERS = [
  "Alice Moreau",
  "Ben Okafor",
  "Carla Jensen",
  "Daniel Kim",
  "Elena Rossi",
  "Farid Haddad",
  "Grace Liu",
  "Hugo Fernandes",
  "Ingrid Svensson",
  "Jamal Wright",
] as const;

const NAME_HEADS = [
  "North", "Blue", "Silver", "Bright", "Clear", "Stone", "Iron", "Red", "Green", "Swift",
  "High", "Deep", "Open", "True", "Wild", "Sun", "Star", "Oak", "Pine", "Cedar",
  "River", "Lake", "Summit", "Harbor", "Peak", "Frost", "Ember", "Nova", "Lumen", "Vector",
  "Quant", "Hyper", "Meta", "Omni", "Astra", "Terra", "Aqua", "Zen", "Echo", "Pixel",
] as const;
const NAME_TAILS = [
  "wind", "field", "gate", "bridge", "forge", "point", "line", "wave", "path", "works",
  "light", "stack", "shift", "craft", "scale", "flow", "mark", "leaf", "stream", "wood",
  "ridge", "port", "view", "cloud", "spark", "core", "grid", "loop", "base", "sight",
] as const;
const NAME_SUFFIXES = [
  "Labs", "Systems", "Analytics", "Logistics", "Health", "Partners", "Group", "Software",
  "Media", "Capital", "Foods", "Energy", "Robotics", "Studios", "Retail", "Bank", "Learning",
  "Networks", "Dynamics", "Industries", "Consulting", "Motors", "Pharma", "Security", "Travel",
  "Insurance", "Design", "Cloud", "Solutions", "Ventures",
] as const;

/** The number of distinct company names `companyName` can produce. */
export const COMPANY_NAME_SPACE = NAME_HEADS.length * NAME_TAILS.length * NAME_SUFFIXES.length;

/** A distinct, pronounceable company name for every index below COMPANY_NAME_SPACE. */
export function companyName(index: number): string {
  // A multiplier coprime with the name space walks it in a scrambled but complete order.
  const scrambled = (index * 7919 + 104729) % COMPANY_NAME_SPACE;
  const head = NAME_HEADS[scrambled % NAME_HEADS.length] ?? "North";
  const rest = Math.floor(scrambled / NAME_HEADS.length);
  const tail = NAME_TAILS[rest % NAME_TAILS.length] ?? "wind";
  const suffix = NAME_SUFFIXES[Math.floor(rest / NAME_TAILS.length) % NAME_SUFFIXES.length] ?? "Labs";
  const base = `${head}${tail} ${suffix}`;
  const round = Math.floor(index / COMPANY_NAME_SPACE);
  return round === 0 ? base : `${base} ${round + 1}`;
}
