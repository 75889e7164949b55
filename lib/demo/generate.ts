import { addMonths, isoDateFromDay, MS_PER_DAY, type DayNumber } from "../days";
import type { LifecycleStage } from "@/db/schema";
import {
  companyName,
  DEFAULT_DEMO_PROFILE,
  DEMO_ACCOUNT_MANAGERS,
  DEMO_EVENT_TYPES,
  DEMO_INDUSTRIES,
  DEMO_PLANS,
  DEMO_REGION_SHARES,
  DEMO_REGIONS,
  type DemoProfile,
} from "./catalog";
import { Random } from "./prng";
import type { RenewalOutcome } from "../accounts/renewal-outcomes";

/**
 * How an account's usage moves over the year. "fading" accounts lose their champion: usage
 * falls away ahead of a renewal, which they then very likely (not certainly) lose.
 */
export type Archetype = "steady" | "growing" | "declining" | "dormant" | "fading" | "trial";

export interface DemoOptions {
  accounts: number;
  seed: number;
  /** The generator's "today": events run up to the day before. */
  today: DayNumber;
  /** Days of event history before today (default 365). */
  historyDays?: number;
  /** The product's event types and activity (default: the demo's). */
  profile?: DemoProfile;
  /**
   * Ramp-up time constant (days) of accounts that sign up on or after the documentation
   * overhaul (default RAMP_DAYS_AFTER_OVERHAUL = 15; RAMP_DAYS_BEFORE_OVERHAUL = 45 plants no
   * change at all). Tests plant effects of known size with it.
   */
  rampDaysAfterOverhaul?: number;
}

export interface DemoAccount {
  externalId: string;
  name: string;
  plan: string;
  region: string;
  industry: string;
  accountManager: string;
  stage: LifecycleStage;
  signupDate: string;
  trialEndDate: string | null;
  renewalDate: string | null;
  arr: number | null;
  archetype: Archetype;
}

export interface DemoEvent {
  /** Index into the profile's event types. */
  typeIndex: number;
  occurredAt: number;
  day: DayNumber;
  messageId: string;
}

/** What happened at one renewal inside the generated history. */
export interface DemoOutcome {
  renewalDate: string;
  outcome: RenewalOutcome;
  arrBefore: number;
  arrAfter: number;
}

export interface DemoAccountWithEvents {
  account: DemoAccount;
  events: DemoEvent[];
  /** Outcomes of the renewals that fell inside the history, oldest first. */
  outcomes: DemoOutcome[];
}

/** The demo's documentation overhaul: new accounts ramp up faster after it. */
export const DOC_OVERHAUL_DAYS_AGO = 120;
export const RAMP_DAYS_BEFORE_OVERHAUL = 45;
export const RAMP_DAYS_AFTER_OVERHAUL = 15;
const HABITUAL_SHARE = 0.5;

export function demoChangeMarkers(today: DayNumber): { date: string; title: string; description: string }[] {
  return [
    {
      date: isoDateFromDay(today - DOC_OVERHAUL_DAYS_AGO),
      title: "Documentation overhaul",
      description: "New getting-started guides, rewritten API reference and in-app help links.",
    },
  ];
}

/** Salts of the random streams that decide renewals and usage style (independent of the events' stream). */
const RENEWAL_STREAM = 0x52e4e3a1;
const STYLE_STREAM = 0x1c0ffee5;

function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** A per-account stream seed, so account i is the same whatever the total size. */
function accountSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

interface Trajectory {
  /** Activity multiplier on a day (relative to today: −1 is yesterday). */
  level(relDay: number): number;
  /** Multiplier on risk events (tickets, complaints, uninstalls) on a day. */
  risk(relDay: number): number;
  /** Multiplier on collaboration events (invitations, shared dashboards, reports) on a day. */
  collaboration(relDay: number): number;
}

function trajectoryFor(archetype: Archetype, rng: Random, churnRelDay: number): Trajectory {
  switch (archetype) {
    case "steady": {
      const phase = rng.next() * 90;
      const amplitude = 0.03 + rng.next() * 0.05;
      return { level: (d) => 1 + amplitude * Math.sin((2 * Math.PI * (d + phase)) / 90), risk: () => 1, collaboration: () => 1 };
    }
    case "growing": {
      const mid = -rng.int(30, 300);
      const width = 25 + rng.next() * 30;
      return { level: (d) => 0.35 + 1.15 * logistic((d - mid) / width), risk: () => 0.8, collaboration: () => 1 };
    }
    case "declining": {
      const mid = -rng.int(10, 200);
      const width = 15 + rng.next() * 25;
      const fall = (d: number) => logistic((d - mid) / width);
      return { level: (d) => 1.4 - 1.25 * fall(d), risk: (d) => 1 + 7 * fall(d), collaboration: () => 1 };
    }
    case "dormant":
      return { level: () => 0.06, risk: () => 1, collaboration: () => 1 };
    case "fading": {
      // The champion leaves one to five months before the renewal; usage falls away.
      const lead = 30 + rng.next() * 120;
      const fall = (d: number) => logistic((d - (churnRelDay - lead)) / 15);
      // Working with colleagues stops about two months before the logins do.
      const collaborationFall = (d: number) => logistic((d - (churnRelDay - lead - 60)) / 12);
      return { level: (d) => 1.2 - 1.1 * fall(d), risk: (d) => 1 + 8 * fall(d), collaboration: (d) => 1 - 0.9 * collaborationFall(d) };
    }
    case "trial":
      return { level: () => 1, risk: () => 0.5, collaboration: () => 1 };
  }
}

function weekdayFactor(day: DayNumber): number {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  return weekday === 0 || weekday === 6 ? 0.35 : 1.15;
}

function demoAccount(index: number, rng: Random, today: DayNumber): { account: DemoAccount; signupDay: DayNumber; churnRelDay: number; activity: number } {
  const plan = rng.weighted(DEMO_PLANS.map((p) => [p, p.share] as const));
  const region = rng.weighted(DEMO_REGIONS.map((r, i) => [r, DEMO_REGION_SHARES[i] ?? 0] as const));
  const industry = rng.pick(DEMO_INDUSTRIES);
  const accountManager = rng.pick(DEMO_ACCOUNT_MANAGERS);
  const archetype = rng.weighted<Archetype>([
    ["steady", 0.44],
    ["growing", 0.17],
    ["declining", 0.17],
    ["dormant", 0.06],
    ["fading", 0.08],
    ["trial", 0.08],
  ]);

  let signupDay: DayNumber;
  let churnRelDay = Number.POSITIVE_INFINITY;
  if (archetype === "trial") {
    signupDay = today - rng.int(1, 28);
  } else if (archetype === "fading") {
    // The renewal their usage fades toward: one to two years after signup, in the last year.
    churnRelDay = -rng.int(10, 330);
    signupDay = addMonths(today + churnRelDay, -12 * rng.int(1, 2));
  } else {
    // A third of customers joined within the last year (spread evenly), the rest before.
    signupDay = rng.next() < 0.34 ? today - rng.int(30, 365) : today - rng.int(366, 1100);
  }

  // Customers until a renewal says otherwise (see decideRenewals); annual contracts renew on
  // the signup anniversary, the next one after today.
  const stage: LifecycleStage = archetype === "trial" ? "trial" : "customer";
  let renewalDay: DayNumber | null = null;
  if (stage !== "trial") {
    let years = 1;
    while (addMonths(signupDay, 12 * years) < today + 1) years++;
    renewalDay = addMonths(signupDay, 12 * years);
  }
  const arr = stage === "trial" ? null : Math.round((plan.arr[0] + rng.next() * (plan.arr[1] - plan.arr[0])) / 100) * 100;
  const activity = 1.55 * plan.activity * rng.logNormal(0, 0.45);

  return {
    account: {
      externalId: `acc_${String(index + 1).padStart(5, "0")}`,
      name: companyName(index),
      plan: plan.name,
      region,
      industry,
      accountManager,
      stage,
      signupDate: isoDateFromDay(signupDay),
      trialEndDate: stage === "trial" ? isoDateFromDay(signupDay + 30) : null,
      renewalDate: renewalDay === null ? null : isoDateFromDay(renewalDay),
      arr,
      archetype,
    },
    signupDay,
    churnRelDay,
    activity,
  };
}

/** Expected points per day of an account at activity level 1 (default demo types, whatever the profile: renewals follow the same accounts either way): usage, collaboration and risk parts. */
function expectedDailyPoints(): { usage: number; collaboration: number; risk: number } {
  let usage = 0;
  let collaboration = 0;
  let risk = 0;
  for (const t of DEMO_EVENT_TYPES) {
    if (t.risk) risk += t.rate * t.weight;
    else if (t.collaboration) collaboration += t.rate * t.weight;
    else usage += t.rate * t.weight;
  }
  return { usage, collaboration, risk };
}
const DAILY_POINTS = expectedDailyPoints();

/**
 * How renewals go: the log-odds of renewing rise with the account's engagement (its expected
 * 30-day score, with the default weights, over the four to one months before the renewal),
 * plus an account-level surprise (budgets, acquisitions, a new CFO) that no usage data shows.
 * Engagement drives renewal, but noisily: the validation page should find a real, imperfect
 * relationship, as it would in a real customer base. The curve is set so that, read 90 days
 * ahead, each tier renews about as the playbook says (PRODUCT.md): 80–100 often (about 90 %),
 * 40–80 about half (about 55 %), 1–40 very rarely (about 15 %); an expected score of 55 is a
 * coin toss. lib/demo/generate.test.ts holds the demo to those ranges.
 */
const RENEWAL_LOGIT = { intercept: -2.6, perPoint: 0.0475, surprise: 0.5 } as const;
/**
 * The demo's planted insight: working with colleagues matters more for renewal than the
 * default weights say (κ times its points), and accounts differ in how much they do it. The
 * suggested weights on the validation page should find it.
 */
const COLLABORATION_MATTERS = 2.5;
const RENEWAL_SCALE =
  (DAILY_POINTS.usage + DAILY_POINTS.collaboration + DAILY_POINTS.risk) / (DAILY_POINTS.usage + COLLABORATION_MATTERS * DAILY_POINTS.collaboration + DAILY_POINTS.risk);
const ENGAGEMENT_FROM = 120;
const ENGAGEMENT_TO = 30;

interface AccountPlan {
  account: DemoAccount;
  signupDay: DayNumber;
  activity: number;
  /** How much the account works with colleagues, relative to others (mean 1). */
  collaborative: number;
  trajectory: Trajectory;
  rampDays: number;
}

/**
 * The engagement a renewal follows: the expected 30-day score over the four to one months
 * before it, with collaboration counted COLLABORATION_MATTERS times (scaled back so the
 * average account scores as with the default weights).
 */
export function latentEngagement(plan: AccountPlan, renewalDay: DayNumber, today: DayNumber): number {
  let sum = 0;
  let days = 0;
  for (let day = renewalDay - ENGAGEMENT_FROM; day < renewalDay - ENGAGEMENT_TO; day++) {
    days++;
    const age = day - plan.signupDay;
    if (age < 0) continue;
    const rel = day - today;
    const ramp = 1 - Math.exp(-(age + 1) / plan.rampDays);
    const level = plan.activity * plan.trajectory.level(rel) * ramp * weekdayFactor(day);
    const collaboration = COLLABORATION_MATTERS * plan.collaborative * plan.trajectory.collaboration(rel) * DAILY_POINTS.collaboration;
    sum += level * (DAILY_POINTS.usage + collaboration + plan.trajectory.risk(rel) * DAILY_POINTS.risk);
  }
  return days === 0 ? 0 : (sum / days) * 30 * RENEWAL_SCALE;
}

/**
 * Decides, oldest first, the outcome of every renewal (signup anniversary) inside the
 * history, with its own random stream so the events of accounts that stay are the same
 * whatever their renewals decided. A churn ends the account: no events from that day on,
 * stage churned, and the renewal it missed as its renewal date. Renewals that stay may
 * expand (likelier the more engaged the account) or contract (likelier the less).
 */
function decideRenewals(plan: AccountPlan, random: Random, fromDay: DayNumber, today: DayNumber): { outcomes: DemoOutcome[]; churnDay: DayNumber } {
  const outcomes: DemoOutcome[] = [];
  const { account } = plan;
  if (account.stage === "trial" || account.arr === null) return { outcomes, churnDay: Number.POSITIVE_INFINITY };
  let arr = account.arr;
  for (let years = 1; ; years++) {
    const renewalDay = addMonths(plan.signupDay, 12 * years);
    if (renewalDay >= today) break;
    if (renewalDay < fromDay) continue;
    const engagement = latentEngagement(plan, renewalDay, today);
    const logit = RENEWAL_LOGIT.intercept + RENEWAL_LOGIT.perPoint * engagement + RENEWAL_LOGIT.surprise * random.normal();
    const renewalDate = isoDateFromDay(renewalDay);
    if (random.next() >= logistic(logit)) {
      outcomes.push({ renewalDate, outcome: "churned", arrBefore: arr, arrAfter: 0 });
      account.stage = "churned";
      account.renewalDate = renewalDate;
      account.arr = arr;
      return { outcomes, churnDay: renewalDay };
    }
    const change = random.next();
    const expand = 0.5 * logistic((engagement - 110) / 25);
    const contract = 0.35 * logistic((35 - engagement) / 12);
    const before = arr;
    if (change < expand) {
      arr = Math.round((arr * (1.1 + 0.3 * random.next())) / 100) * 100;
      outcomes.push({ renewalDate, outcome: "expanded", arrBefore: before, arrAfter: arr });
    } else if (change < expand + contract) {
      arr = Math.max(100, Math.round((arr * (0.65 + 0.25 * random.next())) / 100) * 100);
      outcomes.push({ renewalDate, outcome: "contracted", arrBefore: before, arrAfter: arr });
    } else {
      outcomes.push({ renewalDate, outcome: "renewed", arrBefore: before, arrAfter: arr });
    }
  }
  account.arr = arr;
  return { outcomes, churnDay: Number.POSITIVE_INFINITY };
}

/**
 * A believable B2B SaaS, account by account: who they are and a year of their events.
 * Deterministic for (seed, today, index). Yields one account at a time so callers can
 * write in batched transactions without holding the whole data set in memory.
 */
export function* generateDemo(options: DemoOptions): Generator<DemoAccountWithEvents> {
  const historyDays = options.historyDays ?? 365;
  const { today } = options;
  const overhaulDay = today - DOC_OVERHAUL_DAYS_AGO;
  const rampAfter = options.rampDaysAfterOverhaul ?? RAMP_DAYS_AFTER_OVERHAUL;
  const profile = options.profile ?? DEFAULT_DEMO_PROFILE;
  const types = profile.eventTypes;
  const cumulative = new Float64Array(types.length);

  for (let index = 0; index < options.accounts; index++) {
    const rng = new Random(accountSeed(options.seed, index));
    const { account, signupDay, churnRelDay, activity: baseActivity } = demoAccount(index, rng, today);
    const activity = baseActivity * profile.activityScale;
    const trajectory = trajectoryFor(account.archetype, rng, churnRelDay);
    const rampDays = signupDay >= overhaulDay ? rampAfter : RAMP_DAYS_BEFORE_OVERHAUL;
    const historyFrom = today - historyDays;
    // Drawn from a stream of its own, so every other draw of the account stays as it was.
    const collaborative = new Random(accountSeed(options.seed ^ STYLE_STREAM, index)).logNormal(-0.18, 0.6);
    const { outcomes, churnDay } = decideRenewals(
      { account, signupDay, activity, collaborative, trajectory, rampDays },
      new Random(accountSeed(options.seed ^ RENEWAL_STREAM, index)),
      historyFrom,
      today,
    );
    const events: DemoEvent[] = [];
    let serial = 0;

    for (let day = Math.max(historyFrom, signupDay); day < Math.min(today, churnDay); day++) {
      const rel = day - today;
      const age = day - signupDay;
      const ramp = 1 - Math.exp(-(age + 1) / rampDays);
      const level = activity * trajectory.level(rel) * ramp * weekdayFactor(day);
      if (level <= 0) continue;
      const risk = trajectory.risk(rel);
      const collaboration = trajectory.collaboration(rel);
      let total = 0;
      for (let t = 0; t < types.length; t++) {
        const type = types[t];
        if (!type) continue;
        total += type.rate * (type.risk ? risk : type.collaboration ? collaborative * collaboration : 1);
        cumulative[t] = total;
      }
      // Half of usage is habitual (steady from day to day), half is chance (Poisson):
      // real accounts are more regular than pure chance, and the demo's lists should show it.
      const expected = level * total;
      const n = Math.floor(expected * HABITUAL_SHARE + rng.next()) + rng.poisson(expected * (1 - HABITUAL_SHARE));
      for (let k = 0; k < n; k++) {
        const r = rng.next() * total;
        let typeIndex = 0;
        while (typeIndex < types.length - 1 && (cumulative[typeIndex] ?? 0) <= r) typeIndex++;
        // Working hours, give or take: 06:00–20:00 UTC.
        const occurredAt = day * MS_PER_DAY + Math.floor((6 + rng.next() * 14) * 3_600_000);
        events.push({ typeIndex, occurredAt, day, messageId: `${account.externalId}-${serial++}` });
      }
    }
    events.sort((a, b) => a.occurredAt - b.occurredAt);
    yield { account, events, outcomes };
  }
}
