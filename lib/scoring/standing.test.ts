import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS } from "./bands";
import { DEFAULT_DECLINE_RULE } from "./decline";
import {
  accountStanding,
  activityOn,
  churnReason,
  firstKnownDay,
  scoreGroup,
  standingExplanation,
  standingMove,
  type StandingInput,
} from "./standing";

const AS_OF = 20_000;

function input(overrides: Partial<StandingInput>): StandingInput {
  return {
    asOfDay: AS_OF,
    firstDay: AS_OF - 400,
    windowDays: 30,
    compareDays: 30,
    thresholds: DEFAULT_THRESHOLDS,
    decline: DEFAULT_DECLINE_RULE,
    currentHundredths: 0,
    previousHundredths: 0,
    currentScoredEvents: false,
    previousScoredEvents: false,
    ...overrides,
  };
}

describe("firstKnownDay", () => {
  it("takes the earliest known day, ignoring unknowns", () => {
    expect(firstKnownDay(AS_OF, AS_OF - 10, null, AS_OF - 40, undefined)).toBe(AS_OF - 40);
  });
  it("never lies after the scores' day: an account on file exists today", () => {
    expect(firstKnownDay(AS_OF, AS_OF + 5)).toBe(AS_OF);
    expect(firstKnownDay(AS_OF)).toBe(AS_OF);
  });
});

describe("activityOn", () => {
  it("is active with any scored event, whatever the age", () => {
    expect(activityOn({ firstDay: AS_OF, day: AS_OF, windowDays: 30, scoredEvents: true })).toBe("active");
  });
  it("is not active yet inside the first window: ages 0 to 29 of a 30-day window", () => {
    expect(activityOn({ firstDay: AS_OF, day: AS_OF, windowDays: 30, scoredEvents: false })).toBe("not_active_yet");
    expect(activityOn({ firstDay: AS_OF - 29, day: AS_OF, windowDays: 30, scoredEvents: false })).toBe("not_active_yet");
  });
  it("is silent from the first full window on (age 30: the window no longer reaches the first day)", () => {
    expect(activityOn({ firstDay: AS_OF - 30, day: AS_OF, windowDays: 30, scoredEvents: false })).toBe("silent");
  });
  it("counts an account of unknown age as established", () => {
    expect(activityOn({ firstDay: null, day: AS_OF, windowDays: 30, scoredEvents: false })).toBe("silent");
  });
});

describe("accountStanding", () => {
  it("gives a new account (signed up 10 days ago) no previous score, never declining", () => {
    const s = accountStanding(input({ firstDay: AS_OF - 10, currentHundredths: -1500, currentScoredEvents: true }));
    expect(s.previous).toBeNull();
    expect(s.declining).toBe(false);
    expect(s.band).toBe("churn_risk");
    expect(s.activity).toBe("active");
  });

  it("gives an account that existed on the comparison day (exactly 30 days ago) a previous score", () => {
    const s = accountStanding(input({ firstDay: AS_OF - 30, currentHundredths: 4000, currentScoredEvents: true }));
    // 30 days ago was its first day, with no scored event yet: not active yet then, not churn risk.
    expect(s.previous).toEqual({ hundredths: 0, band: "churn_risk", activity: "not_active_yet" });
    expect(s.activity).toBe("active");
  });

  it("one day younger has no past", () => {
    expect(accountStanding(input({ firstDay: AS_OF - 29 })).previous).toBeNull();
  });

  it("tells silent (established, no events) from not active yet (first window, no events); both score 0", () => {
    const silent = accountStanding(input({ firstDay: AS_OF - 400 }));
    expect(silent.band).toBe("churn_risk");
    expect(silent.activity).toBe("silent");
    expect(silent.previous).toEqual({ hundredths: 0, band: "churn_risk", activity: "silent" });
    const fresh = accountStanding(input({ firstDay: AS_OF - 1 }));
    expect(fresh.band).toBe("churn_risk");
    expect(fresh.activity).toBe("not_active_yet");
  });

  it("flags a decline of an established account (50 → 30: −20 points, −40 %)", () => {
    const s = accountStanding(input({ currentHundredths: 3000, previousHundredths: 5000, currentScoredEvents: true, previousScoredEvents: true }));
    expect(s.declining).toBe(true);
    expect(s.previous).toEqual({ hundredths: 5000, band: "medium", activity: "active" });
  });

  it("honours the configured windows: a 14-day window and 7-day comparison", () => {
    const s = accountStanding(input({ firstDay: AS_OF - 10, windowDays: 14, compareDays: 7 }));
    expect(s.previous).toEqual({ hundredths: 0, band: "churn_risk", activity: "not_active_yet" });
    expect(s.activity).toBe("not_active_yet");
    expect(accountStanding(input({ firstDay: AS_OF - 14, windowDays: 14, compareDays: 7 })).activity).toBe("silent");
  });
});

describe("groups, reasons and words", () => {
  it("takes accounts not active yet out of the bands, and says why an account is at churn risk", () => {
    expect(scoreGroup("churn_risk", "not_active_yet")).toBe("not_active_yet");
    expect(scoreGroup("churn_risk", "silent")).toBe("churn_risk");
    expect(churnReason("churn_risk", "silent", "customer")).toBe("silent");
    expect(churnReason("churn_risk", "active", "trial")).toBe("negative");
    expect(churnReason("churn_risk", "not_active_yet", "trial")).toBeNull();
    expect(churnReason("low", "active", "customer")).toBeNull();
    // It already churned: no risk of it left to act on.
    expect(churnReason("churn_risk", "silent", "churned")).toBeNull();
  });

  it("explains which meaning of the band applies", () => {
    expect(standingExplanation("churn_risk", "silent", "customer", 30)).toMatch(/^Silent: no event that counts toward the score in the last 30 days/);
    expect(standingExplanation("churn_risk", "active", "customer", 30)).toMatch(/^Negative signals outweigh usage/);
    expect(standingExplanation("churn_risk", "not_active_yet", "trial", 30)).toMatch(/^Not active yet: .*first 30 days/);
    expect(standingExplanation("medium", "active", "customer", 30)).toMatch(/^Somewhat engaged/);
    expect(standingExplanation("churn_risk", "silent", "churned", 30)).toMatch(/^Churned: no longer a customer/);
  });

  it("moves: new without a past, from not active yet rather than from churn risk", () => {
    const now = { band: "low" as const, activity: "active" as const };
    expect(standingMove(now, null)).toEqual({ direction: "new", label: "new" });
    expect(standingMove(now, { band: "churn_risk", activity: "not_active_yet" })).toEqual({ direction: "up", label: "not active yet → low" });
    expect(standingMove({ band: "churn_risk", activity: "active" }, { band: "churn_risk", activity: "not_active_yet" })).toEqual({
      direction: "down",
      label: "not active yet → churn risk",
    });
    expect(standingMove({ band: "low", activity: "active" }, { band: "medium", activity: "active" })).toEqual({ direction: "down", label: "medium → low" });
    expect(standingMove(now, { band: "low", activity: "active" })).toEqual({ direction: "same", label: "" });
  });
});
