import { dayFromIsoDate, type DayNumber } from "@/lib/days";
import { DEFAULT_DEMO_PROFILE } from "@/lib/demo/catalog";
import { generateDemo } from "@/lib/demo/generate";
import { bandFor, DEFAULT_THRESHOLDS } from "@/lib/scoring/bands";
import { DEFAULT_DECLINE_RULE, isDeclining } from "@/lib/scoring/decline";
import { toHundredths } from "@/lib/scoring/points";
import { rollingWindowSums } from "@/lib/scoring/score";
import { createDataset, writeAccount, type TeamsDataset } from "@/lib/teams/dataset";

const HISTORY_DAYS = 365;
const SCORE_WINDOW_DAYS = 30;

export interface DemoDatasetOptions {
  accounts: number;
  seed: number;
  today: DayNumber;
  /** See DemoOptions.rampDaysAfterOverhaul: 45 plants no change, 15 is the demo's effect. */
  rampDaysAfterOverhaul?: number;
}

/**
 * The demo company scored in memory, straight into a TeamsDataset: the same generator, the
 * default weights and the 30-day window the server uses, without a database, so statistical
 * tests can afford many companies. (test/compare-demo.test.ts checks the stored path.)
 */
export function demoDataset(options: DemoDatasetOptions): TeamsDataset {
  const { today } = options;
  const weights = DEFAULT_DEMO_PROFILE.eventTypes.map((t) => toHundredths(t.weight));
  const startDay = today - HISTORY_DAYS + 1;
  const firstPointDay = startDay - SCORE_WINDOW_DAYS + 1;
  const ds = createDataset({ asOfDay: today, days: HISTORY_DAYS, capacity: options.accounts, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE });
  let id = 0;
  const points = new Float64Array(today - firstPointDay + 1);
  for (const { account, events } of generateDemo({
    accounts: options.accounts,
    seed: options.seed,
    today,
    historyDays: HISTORY_DAYS + SCORE_WINDOW_DAYS,
    rampDaysAfterOverhaul: options.rampDaysAfterOverhaul,
  })) {
    points.fill(0);
    for (const e of events) {
      const at = e.day - firstPointDay;
      if (at >= 0 && at < points.length) points[at] = (points[at] ?? 0) + (weights[e.typeIndex] ?? 0);
    }
    const history = Int32Array.from(rollingWindowSums(points, SCORE_WINDOW_DAYS, HISTORY_DAYS), Math.round);
    const current = history[HISTORY_DAYS - 1] ?? 0;
    const previous = history[HISTORY_DAYS - 1 - SCORE_WINDOW_DAYS] ?? 0;
    writeAccount(ds, {
      id: ++id,
      plan: account.plan,
      region: account.region,
      industry: account.industry,
      accountManager: account.accountManager,
      stage: account.stage,
      signupDate: account.signupDate,
      signupDay: dayFromIsoDate(account.signupDate),
      firstKnownDay: dayFromIsoDate(account.signupDate),
      hasPast: true,
      notActiveYet: false,
      currentHundredths: current,
      previousHundredths: previous,
      band: bandFor(current / 100),
      declining: isDeclining(current, previous),
      tags: [],
      history,
      historyStartDay: startDay,
    });
  }
  return ds;
}
