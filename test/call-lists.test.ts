import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL_LISTS, type CallListId } from "@/lib/accounts/lists/lists";
import { isOnList } from "@/lib/accounts/lists/membership";
import { orderingFor } from "@/lib/accounts/lists/ordering";
import type { CallListFilterParams, CallListPageParams } from "@/lib/accounts/lists/resolve";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { bandFor } from "@/lib/scoring/bands";
import { isDeclining } from "@/lib/scoring/decline";
import type { Activity } from "@/lib/scoring/standing";
import { countCallLists, getCallListFacets, getScoresAsOf, iterateCallList, listCallListPage } from "@/lib/accounts/server/lists";
import { logContact, snoozeAccount, unsnoozeAccount } from "@/lib/accounts/server/worklist";
import { createTestDb } from "./db";

const { db, cleanup } = await createTestDb();
const work = db;
afterAll(cleanup);

const TODAY = dayFromIsoDate("2026-03-01");
const inDays = (n: number) => isoDateFromDay(TODAY + n);

interface Fixture {
  name: string;
  score: number;
  previous?: number;
  stage?: "trial" | "customer" | "churned";
  manager?: string | null;
  plan?: string;
  region?: string;
  industry?: string;
  renewal?: number | null;
  trialEnd?: number;
  arr?: number | null;
  /** As the scoring engine stores it (lib/scoring/standing.ts); default active. */
  activity?: Activity;
  /** Did not exist on the comparison day: no previous score. */
  isNew?: boolean;
}

// Scores in points; bands and the declining flag follow from them as the scoring engine sets them.
const FIXTURES: Fixture[] = [
  { name: "Alpha Power", score: 150, manager: "Ann Ames", plan: "Enterprise", region: "Europe", arr: 100_000, renewal: 200 },
  { name: "Bravo High", score: 90, previous: 120, manager: "Ben Bell", plan: "Growth", arr: 50_000, renewal: 40 },
  { name: "Charlie Trial", score: 85, stage: "trial", manager: "Ann Ames", trialEnd: 10, arr: null, renewal: null },
  { name: "Delta Churned", score: 95, stage: "churned", manager: "Ben Bell", arr: 70_000, renewal: 300 },
  { name: "Echo Soon", score: 60, manager: "Ann Ames", plan: "Growth", region: "Europe", industry: "Retail", renewal: 10, arr: 20_000 },
  { name: "Foxtrot Later", score: 50, manager: "Ben Bell", renewal: 30, arr: 30_000 },
  { name: "Golf Edge", score: 45, manager: "Ben Bell", renewal: 90, arr: 10_000 },
  { name: "Hotel Outside", score: 70, manager: "Ann Ames", renewal: 91, arr: 90_000 },
  { name: "India Overdue", score: 55, manager: "Ann Ames", renewal: -1, arr: 5_000 },
  { name: "Juliet Trial", score: 65, stage: "trial", manager: null, trialEnd: 3, renewal: null, arr: null },
  { name: "Kilo Low", score: 30, manager: "Ben Bell", plan: "Starter", renewal: 120, arr: 8_000 },
  { name: "Lima Faller", score: 5, previous: 60, manager: "Ann Ames", plan: "Starter", renewal: 150, arr: 9_000 },
  { name: "Mike Risk", score: -20, previous: 20, manager: "Ben Bell", plan: "Starter", renewal: 60, arr: 4_000 },
  { name: "November Zero", score: 0, manager: "Ann Ames", plan: "Starter", renewal: 70, arr: 3_000, activity: "silent" },
  { name: "Oscar 50% Co", score: 42, manager: "Ben Bell", renewal: 5, arr: 6_000 },
  { name: "Papa Trial", score: 20, stage: "trial", manager: "Ben Bell", trialEnd: 3, renewal: null, arr: null },
  // Issue 13: a new account not active yet (onboarding, on no tier list) and a new active one (no change).
  { name: "Quebec Quiet", score: 0, manager: "Ann Ames", plan: "Starter", renewal: 200, arr: 2_000, activity: "not_active_yet", isNew: true },
  { name: "Romeo Rookie", score: 35, manager: "Ben Bell", renewal: 250, arr: 7_000, isNew: true },
];

const ids = new Map<string, number>();
const id = (name: string) => {
  const value = ids.get(name);
  if (value === undefined) throw new Error(`no fixture ${name}`);
  return value;
};

beforeAll(async () => {
  for (const [i, f] of FIXTURES.entries()) {
    const accountId = await db.value<number>(
      sql`INSERT INTO accounts (external_id, name, plan, region, industry, account_manager, stage, trial_end_date, renewal_date, arr)
          VALUES (${`ext-${i}`}, ${f.name}, ${f.plan ?? "Business"}, ${f.region ?? "North America"}, ${f.industry ?? "Software"},
                  ${f.manager === undefined ? "Ben Bell" : f.manager}, ${f.stage ?? "customer"}, ${f.trialEnd === undefined ? null : inDays(f.trialEnd)},
                  ${f.renewal === undefined || f.renewal === null ? null : inDays(f.renewal)}, ${f.arr === undefined ? null : f.arr})
          RETURNING id`,
    );
    if (accountId === undefined) throw new Error("no id");
    ids.set(f.name, accountId);
    const current = f.score * 100;
    const previous = f.isNew ? 0 : (f.previous ?? f.score) * 100;
    const activity = f.activity ?? "active";
    await db.run(
      sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
            activity, previous_activity, first_day)
          VALUES (${accountId}, ${TODAY}, ${current}, ${previous}, ${bandFor(f.score)}, ${bandFor(previous / 100)},
                  ${!f.isNew && isDeclining(current, previous) ? 1 : 0}, 1, ${activity}, ${f.isNew ? null : activity}, ${f.isNew ? TODAY - 5 : TODAY - 400})`,
    );
  }
});

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

const FILTERS: CallListFilterParams = {
  managerName: null,
  plan: null,
  region: null,
  industry: null,
  stage: null,
  search: "",
  includeSnoozed: false,
  today: TODAY,
};

function params(list: CallListId, overrides: Partial<CallListPageParams> = {}): CallListPageParams {
  const renewalsOnly = overrides.renewalsOnly ?? false;
  return {
    ...FILTERS,
    list,
    band: null,
    renewalsOnly,
    order: orderingFor(list, null, { renewalsOnly }),
    limit: 100,
    offset: 0,
    ...overrides,
  };
}

async function names(p: CallListPageParams): Promise<string[]> {
  return (await listCallListPage(db, p)).rows.map((r) => r.name);
}

describe("each list's recommended order", () => {
  it("80–100: high and power users, highest score first; churned accounts only when asked for", async () => {
    expect((await names(params("high")))).toEqual(["Alpha Power", "Bravo High", "Charlie Trial"]);
    // No longer a customer: its score is no call to make (issue 13). The stage filter shows it.
    expect((await names(params("high", { stage: "churned" })))).toEqual(["Delta Churned"]);
    const alpha = (await listCallListPage(db, params("high"))).rows[0];
    expect(alpha?.band).toBe("power");
  });

  it("40–80 limited to renewals within 90 days (today to today + 90, inclusive), soonest first", async () => {
    const p = params("medium", { renewalsOnly: true });
    expect((await names(p))).toEqual(["Oscar 50% Co", "Echo Soon", "Foxtrot Later", "Golf Edge"]);
    expect((await listCallListPage(db, p)).total).toBe(4);
  });

  it("40–80 whole tier: the renewals within 90 days first, then the others by renewal date, none last", async () => {
    expect((await names(params("medium")))).toEqual([
      "Oscar 50% Co",
      "Echo Soon",
      "Foxtrot Later",
      "Golf Edge",
      "India Overdue", // renewal yesterday: outside the window, earliest of the rest
      "Hotel Outside", // renewal in 91 days
      "Juliet Trial", // no renewal date
    ]);
  });

  it("1–40: churn risk (score ≤ 0) first, then lowest score first; accounts not active yet are not on it", async () => {
    expect((await names(params("low")))).toEqual(["Mike Risk", "November Zero", "Lima Faller", "Papa Trial", "Kilo Low", "Romeo Rookie"]);
    const rows = (await listCallListPage(db, params("low"))).rows;
    expect(rows.slice(0, 2).map((r) => [r.band, r.activity])).toEqual([
      ["churn_risk", "active"], // negative signals outweigh usage
      ["churn_risk", "silent"],
    ]);
  });

  it("onboarding: the accounts not active yet, and nothing else", async () => {
    expect((await names(params("onboarding")))).toEqual(["Quebec Quiet"]);
    expect((await listCallListPage(db, params("onboarding"))).rows[0]).toMatchObject({ activity: "not_active_yet", previousHundredths: null, previousBand: null, previousActivity: null });
  });

  it("gives a new account no previous score or band, and never a place among the drops", async () => {
    const romeo = (await listCallListPage(db, params("low"))).rows.find((r) => r.name === "Romeo Rookie");
    expect(romeo).toMatchObject({ previousHundredths: null, previousBand: null, previousActivity: null, declining: false, firstDate: isoDateFromDay(TODAY - 5) });
    expect((await names(params("drops")))).not.toContain("Romeo Rookie");
  });

  it("score drops: declining accounts only, largest drop first", async () => {
    // Lima 60 → 5 (−55), Mike 20 → −20 (−40), Bravo 120 → 90 (−30, −25 %).
    expect((await names(params("drops")))).toEqual(["Lima Faller", "Mike Risk", "Bravo High"]);
  });

  it("trials: by score, then the trial that ends soonest", async () => {
    expect((await names(params("trials")))).toEqual(["Charlie Trial", "Juliet Trial", "Papa Trial"]);
    expect((await listCallListPage(db, params("trials"))).rows[0]?.trialEndDate).toBe(inDays(10));
  });

  it("upsell: customers in the high and power-user bands, by score then ARR", async () => {
    expect((await names(params("upsell")))).toEqual(["Alpha Power", "Bravo High"]);
  });

  it("upsell breaks a score tie by the larger ARR", async () => {
    const p = params("upsell", { order: orderingFor("upsell", null) });
    await db.run(sql`UPDATE account_scores SET score_hundredths = 15000 WHERE account_id = ${id("Bravo High")}`);
    try {
      expect((await names(p))).toEqual(["Alpha Power", "Bravo High"]); // 100,000 before 50,000
      await db.run(sql`UPDATE accounts SET arr = 200000 WHERE id = ${id("Bravo High")}`);
      expect((await names(p))).toEqual(["Bravo High", "Alpha Power"]);
    } finally {
      await db.run(sql`UPDATE account_scores SET score_hundredths = 9000 WHERE account_id = ${id("Bravo High")}`);
      await db.run(sql`UPDATE accounts SET arr = 50000 WHERE id = ${id("Bravo High")}`);
    }
  });
});

describe("declining and band drops", () => {
  it("carries the declining flag and the band 30 days ago on every list", async () => {
    const lima = (await listCallListPage(db, params("low"))).rows.find((r) => r.name === "Lima Faller");
    expect(lima).toMatchObject({ declining: true, band: "low", previousBand: "medium", scoreHundredths: 500, previousHundredths: 6000 });
    const bravo = (await listCallListPage(db, params("high"))).rows.find((r) => r.name === "Bravo High");
    expect(bravo).toMatchObject({ declining: true, band: "high", previousBand: "power" });
    const kilo = (await listCallListPage(db, params("low"))).rows.find((r) => r.name === "Kilo Low");
    expect(kilo).toMatchObject({ declining: false, band: "low", previousBand: "low" });
  });
});

describe("filters", () => {
  it("narrows to one manager's book", async () => {
    expect((await names(params("medium", { managerName: "Ann Ames" })))).toEqual(["Echo Soon", "India Overdue", "Hotel Outside"]);
  });
  it("combines plan, region, industry and stage", async () => {
    expect((await names(params("medium", { plan: "Growth", region: "Europe", industry: "Retail" })))).toEqual(["Echo Soon"]);
    expect((await names(params("high", { stage: "trial" })))).toEqual(["Charlie Trial"]);
    expect((await names(params("low", { plan: "Starter", managerName: "Ann Ames" })))).toEqual(["November Zero", "Lima Faller"]);
  });
  it("searches names case-insensitively, taking LIKE wildcards literally", async () => {
    expect((await names(params("medium", { search: "ECHO" })))).toEqual(["Echo Soon"]);
    expect((await names(params("medium", { search: "50%" })))).toEqual(["Oscar 50% Co"]);
    expect((await names(params("medium", { search: "_" })))).toEqual([]);
  });
  it("narrows to one band within a tier", async () => {
    expect((await names(params("low", { band: "churn_risk" })))).toEqual(["Mike Risk", "November Zero"]);
    expect((await names(params("high", { band: "power" })))).toEqual(["Alpha Power"]);
  });
});

describe("sorting by a column", () => {
  const sorted = async (list: CallListId, key: Parameters<typeof orderingFor>[1]) => (await names(params(list, { order: orderingFor(list, key) })));
  it("sorts by ARR with missing ARR last in both directions", async () => {
    expect(await sorted("high", { key: "arr", dir: "desc" })).toEqual(["Alpha Power", "Bravo High", "Charlie Trial"]);
    expect(await sorted("high", { key: "arr", dir: "asc" })).toEqual(["Bravo High", "Alpha Power", "Charlie Trial"]);
  });
  it("sorts by name and by the change against 30 days ago", async () => {
    expect(await sorted("low", { key: "name", dir: "desc" })).toEqual(["Romeo Rookie", "Papa Trial", "November Zero", "Mike Risk", "Lima Faller", "Kilo Low"]);
    // A new account has no change: last in both directions.
    expect(await sorted("low", { key: "change", dir: "asc" })).toEqual(["Lima Faller", "Mike Risk", "Kilo Low", "November Zero", "Papa Trial", "Romeo Rookie"]);
    expect((await sorted("low", { key: "change", dir: "desc" })).at(-1)).toBe("Romeo Rookie");
  });
  it("sorts by renewal date with missing dates last", async () => {
    expect(await sorted("trials", { key: "renewal", dir: "desc" })).toEqual(["Charlie Trial", "Juliet Trial", "Papa Trial"]);
    expect(await sorted("high", { key: "renewal", dir: "asc" })).toEqual(["Bravo High", "Alpha Power", "Charlie Trial"]);
  });
});

describe("pagination", () => {
  it("pages through the list without overlap, with the total of the whole list", async () => {
    const all = (await names(params("medium")));
    const pages = await Promise.all([0, 3, 6].map((offset) => listCallListPage(db, params("medium", { limit: 3, offset }))));
    expect(pages.map((p) => p.total)).toEqual([7, 7, 7]);
    expect(pages.flatMap((p) => p.rows.map((r) => r.name))).toEqual(all);
    expect(pages[2]?.rows).toHaveLength(1);
  });
  it("answers an empty page past the end", async () => {
    expect((await listCallListPage(db, params("medium", { limit: 3, offset: 30 })))).toEqual({ rows: [], total: 7 });
  });
  it("exports the whole list in list order, reading it in pages", async () => {
    const p = params("medium");
    expect((await collect(iterateCallList(db, { ...p, batchSize: 2 }))).map((r) => r.name)).toEqual((await names(p)));
  });
});

describe("working the list", () => {
  const author = { id: "u1", name: "Ann Ames" };

  it("hides snoozed accounts until their date, unless asked to show them", async () => {
    await snoozeAccount(work, { accountId: id("Echo Soon"), author, until: inDays(7) });
    await snoozeAccount(work, { accountId: id("Golf Edge"), author, until: inDays(0) }); // ends today: back on the list
    try {
      expect((await names(params("medium", { renewalsOnly: true })))).toEqual(["Oscar 50% Co", "Foxtrot Later", "Golf Edge"]);
      const shown = (await listCallListPage(db, params("medium", { renewalsOnly: true, includeSnoozed: true })));
      expect(shown.rows.map((r) => r.name)).toEqual(["Oscar 50% Co", "Echo Soon", "Foxtrot Later", "Golf Edge"]);
      expect(shown.rows.find((r) => r.name === "Echo Soon")?.snoozedUntil).toBe(inDays(7));
      expect(shown.rows.find((r) => r.name === "Golf Edge")?.snoozedUntil).toBeNull();
    } finally {
      await unsnoozeAccount(work, { accountId: id("Echo Soon") });
      await unsnoozeAccount(work, { accountId: id("Golf Edge") });
    }
    expect((await names(params("medium", { renewalsOnly: true })))).toContain("Echo Soon");
  });

  it("shows each account's latest contact and sorts the never-contacted first", async () => {
    const t0 = Date.UTC(2026, 1, 20, 9);
    await logContact(work, { accountId: id("Kilo Low"), author, outcome: "voicemail", contactedAt: t0 });
    await logContact(work, { accountId: id("Kilo Low"), author: { id: "u2", name: "Ben Bell" }, outcome: "reached", contactedAt: t0 + 86_400_000 });
    await logContact(work, { accountId: id("Lima Faller"), author, outcome: "email_sent", contactedAt: t0 - 86_400_000 });
    const rows = (await listCallListPage(db, params("low", { order: orderingFor("low", { key: "lastContact", dir: "asc" }) }))).rows;
    expect(rows.map((r) => r.name)).toEqual(["Mike Risk", "November Zero", "Papa Trial", "Romeo Rookie", "Lima Faller", "Kilo Low"]);
    expect(rows.find((r) => r.name === "Kilo Low")?.lastContact).toEqual({ at: t0 + 86_400_000, outcome: "reached", by: "Ben Bell" });
    expect(rows.find((r) => r.name === "Mike Risk")?.lastContact).toBeNull();
  });
});

describe("the lists hold exactly the accounts the membership rule puts on them", () => {
  const candidates = () =>
    FIXTURES.map((f) => ({
      name: f.name,
      band: bandFor(f.score),
      activity: f.activity ?? "active",
      declining: !f.isNew && isDeclining(f.score * 100, (f.previous ?? f.score) * 100),
      stage: f.stage ?? "customer",
      renewalDate: f.renewal === undefined || f.renewal === null ? null : inDays(f.renewal),
    }));
  for (const list of CALL_LISTS) {
    for (const renewalsOnly of list === "medium" ? [false, true] : [false]) {
      for (const stage of [null, "churned", "trial"] as const) {
        it(`${list}${renewalsOnly ? " (renewals only)" : ""}, stage filter ${stage ?? "none"}`, async () => {
          const expected = candidates()
            .filter((c) => isOnList(list, c, { today: TODAY, renewalsOnly, stageFilter: stage }))
            .map((c) => c.name);
          const listed = (await collect(iterateCallList(db, params(list, { renewalsOnly, stage })))).map((r) => r.name);
          expect(listed.sort()).toEqual(expected.sort());
          if (stage === null) expect(listed.length).toBeGreaterThan(0);
        });
      }
    }
  }
});

describe("countCallLists", () => {
  async function listTotals(filters: Partial<CallListFilterParams>) {
    const total = async (list: CallListId, extra: Partial<CallListPageParams> = {}) =>
      (await listCallListPage(db, params(list, { ...filters, ...extra, limit: 1 }))).total;
    return {
      high: await total("high"),
      power: await total("high", { band: "power" }),
      medium: await total("medium"),
      mediumRenewals: await total("medium", { renewalsOnly: true }),
      low: await total("low"),
      churnRisk: await total("low", { band: "churn_risk" }),
      onboarding: await total("onboarding"),
      drops: await total("drops"),
      trials: await total("trials"),
      upsell: await total("upsell"),
    };
  }

  it("counts what each list shows, without filters (hand-checked)", async () => {
    const counts = (await countCallLists(db, FILTERS));
    expect(counts).toEqual({
      high: 3,
      power: 1,
      medium: 7,
      mediumRenewals: 4,
      low: 6,
      churnRisk: 2,
      silent: 1,
      drops: 3,
      trials: 3,
      onboarding: 1,
      upsell: 2,
      total: FIXTURES.length - 1, // every account but the churned one
      snoozed: 0,
    });
    expect(counts).toMatchObject(await listTotals({}));
  });

  it("counts under filters, and takes snoozed accounts off unless they are shown", async () => {
    await snoozeAccount(work, { accountId: id("Echo Soon"), author: { id: "u1", name: "Ann" }, until: inDays(3) });
    await snoozeAccount(work, { accountId: id("Alpha Power"), author: { id: "u1", name: "Ann" }, until: inDays(3) });
    try {
      for (const filters of [{}, { managerName: "Ann Ames" }, { plan: "Growth" }, { search: "o" }, { includeSnoozed: true }, { stage: "churned" as const }]) {
        const counts = (await countCallLists(db, { ...FILTERS, ...filters }));
        expect(counts).toMatchObject(await listTotals(filters));
      }
      const mine = (await countCallLists(db, { ...FILTERS, managerName: "Ann Ames" }));
      expect(mine).toMatchObject({ medium: 2, mediumRenewals: 0, high: 1, upsell: 0, snoozed: 2 });
    } finally {
      await unsnoozeAccount(work, { accountId: id("Echo Soon") });
      await unsnoozeAccount(work, { accountId: id("Alpha Power") });
    }
  });

  it("covers every list", async () => {
    const counts = (await countCallLists(db, FILTERS));
    for (const list of CALL_LISTS) expect(Object.keys(counts)).toContain(list);
  });
});

describe("getCallListFacets", () => {
  it("offers the distinct values on file, sorted", async () => {
    expect((await getCallListFacets(db))).toEqual({
      managers: ["Ann Ames", "Ben Bell"],
      plans: ["Business", "Enterprise", "Growth", "Starter"],
      regions: ["Europe", "North America"],
      industries: ["Retail", "Software"],
    });
  });
});

describe("getScoresAsOf", () => {
  it("says the day the scores are as of, and a newer one as soon as a score moves on (it is kept only until a write)", async () => {
    expect(await getScoresAsOf(db)).toBe(isoDateFromDay(TODAY));
    const accountId = await db.value<number>(sql`SELECT min(account_id) FROM account_scores`);
    await db.run(sql`UPDATE account_scores SET as_of_day = ${TODAY + 1} WHERE account_id = ${accountId}`);
    try {
      expect(await getScoresAsOf(db)).toBe(isoDateFromDay(TODAY + 1));
    } finally {
      await db.run(sql`UPDATE account_scores SET as_of_day = ${TODAY} WHERE account_id = ${accountId}`);
    }
    expect(await getScoresAsOf(db)).toBe(isoDateFromDay(TODAY));
  });
});
