import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dayFromIsoDate, isoDateFromDay } from "@/lib/days";
import { DOC_OVERHAUL_DAYS_AGO } from "@/lib/demo/generate";
import { seedDemoData } from "@/lib/demo/server/seed";
import { getBeforeAfter } from "@/lib/teams/server/compare";
import { createTestDb } from "./db";

/**
 * The default demo company (2,000 accounts, seed 42), stored as `npm run demo` stores it, on a
 * fixed day: the real "Documentation overhaul" is still found for new accounts, a marker on a
 * date where the demo changes nothing reads "no clear effect", and a marker whose windows
 * hold the overhaul (the 1 October example) is not credited with the overhaul's work.
 */
let db: Db;
let cleanup: () => Promise<void>;
afterAll(async () => cleanup());
const TODAY = dayFromIsoDate("2026-06-15");

async function addMarker(daysAgo: number, title: string): Promise<number> {
  const id = await db.value<number>(sql`INSERT INTO change_markers (date, title) VALUES (${isoDateFromDay(TODAY - daysAgo)}, ${title}) RETURNING id`);
  if (id === undefined) throw new Error("no marker id");
  return id;
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  await seedDemoData(db, { accounts: 2000, seed: 42, today: TODAY });
}, 300_000);

describe("before / after on the demo company", () => {
  it("finds the documentation overhaul for new accounts, beyond the normal range", async () => {
    const data = (await getBeforeAfter(db, { window: 90, dimension: "plan", horizon: 30 }));
    expect(data?.marker?.title).toBe("Documentation overhaul");
    const h = data?.cohort?.headline;
    expect(h?.verdict.kind).toBe("higher");
    expect(h?.placebo?.dates).toBeGreaterThanOrEqual(20);
    expect(h?.meanDifference?.lowerHundredths).toBeGreaterThan(h?.normalRange?.upperHundredths ?? Number.POSITIVE_INFINITY);
    expect(data?.summary).toMatch(/^New accounts engage faster after the change/);
    // Existing accounts are not affected in the demo: the page never calls them "lower".
    for (const row of data?.existing.rows ?? []) expect(["no_clear_effect", "too_small"]).toContain(row.verdict.kind);
  });

  it("reads 'no clear effect' for a marker on a date where the demo changes nothing", async () => {
    const quiet = await addMarker(270, "New onboarding checklist");
    for (const window of [30, 90] as const) {
      const data = (await getBeforeAfter(db, { marker: quiet, window, dimension: "plan", horizon: 30 }));
      expect(data?.overlapping).toEqual([]);
      expect(data?.cohort?.headline.verdict.kind, `new accounts, ${window} days`).toBe("no_clear_effect");
      expect(data?.cohort?.headline.verdict.text).toMatch(/^No clear effect/);
      expect(data?.summary).toMatch(/^New accounts engage no differently after the change/);
    }
    const existing = (await getBeforeAfter(db, { marker: quiet, window: 30, dimension: "plan", horizon: 30 }))?.existing.rows ?? [];
    expect(existing.length).toBeGreaterThan(1);
    for (const row of existing) expect(row.verdict.kind, row.label).toBe("no_clear_effect");
  });

  it("names the overhaul when another marker's windows hold it, and does not credit that marker", async () => {
    const october = await addMarker(DOC_OVERHAUL_DAYS_AGO - 53, "Onboarding emails");
    const data = (await getBeforeAfter(db, { marker: october, window: 90, dimension: "plan", horizon: 30 }));
    expect(data?.overlapping.map((c) => c.title)).toEqual(["Documentation overhaul"]);
    const h = data?.cohort?.headline;
    expect(h?.verdict.overlapping).toEqual(["Documentation overhaul"]);
    if (h?.verdict.kind === "higher" || h?.verdict.kind === "lower") {
      expect(h.verdict.text).toMatch(/cannot be credited to “Onboarding emails” alone\.$/);
    }
    expect(data?.summary).toMatch(/Other changes in these windows \(“Documentation overhaul”\) share the credit\.$/);
  });
});
