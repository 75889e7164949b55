import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEMO_EVENT_TYPES } from "./catalog";
import { DOC_OVERHAUL_DAYS_AGO, generateDemo, type DemoAccountWithEvents } from "./generate";
import { dayFromIsoDate } from "../days";
import { bandFor, BANDS } from "../scoring/bands";
import { toHundredths } from "../scoring/points";

const TODAY = dayFromIsoDate("2026-06-15");

function fingerprint(items: Iterable<DemoAccountWithEvents>): string {
  const hash = createHash("sha256");
  for (const item of items) hash.update(JSON.stringify(item));
  return hash.digest("hex");
}

function score30(events: DemoAccountWithEvents["events"], endDay: number): number {
  let total = 0;
  for (const e of events) {
    if (e.day > endDay - 30 && e.day <= endDay) total += toHundredths(DEMO_EVENT_TYPES[e.typeIndex]?.weight ?? 0);
  }
  return total;
}

describe("generateDemo", () => {
  it("is deterministic: the same seed and day give the same data", () => {
    const a = fingerprint(generateDemo({ accounts: 50, seed: 42, today: TODAY }));
    const b = fingerprint(generateDemo({ accounts: 50, seed: 42, today: TODAY }));
    const c = fingerprint(generateDemo({ accounts: 50, seed: 43, today: TODAY }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("generates the first accounts of a larger run identically (size is just a parameter)", () => {
    const small = [...generateDemo({ accounts: 20, seed: 1, today: TODAY })];
    const large = [...generateDemo({ accounts: 60, seed: 1, today: TODAY })].slice(0, 20);
    expect(fingerprint(small)).toBe(fingerprint(large));
  });

  const accounts = [...generateDemo({ accounts: 1500, seed: 42, today: TODAY })];

  it("describes a believable company: unique names and ids, plans, renewals ahead", () => {
    expect(new Set(accounts.map((a) => a.account.name)).size).toBe(accounts.length);
    expect(new Set(accounts.map((a) => a.account.externalId)).size).toBe(accounts.length);
    expect(new Set(accounts.map((a) => a.account.plan)).size).toBe(4);
    expect(new Set(accounts.map((a) => a.account.region)).size).toBe(5);
    expect(new Set(accounts.map((a) => a.account.industry)).size).toBe(8);
    expect(new Set(accounts.map((a) => a.account.accountManager)).size).toBe(10);
    for (const { account } of accounts) {
      if (account.stage === "customer") {
        const renewal = dayFromIsoDate(account.renewalDate ?? "");
        expect(renewal).toBeGreaterThan(TODAY);
        expect(renewal).toBeLessThanOrEqual(TODAY + 366);
      }
      if (account.stage === "trial") expect(account.trialEndDate).not.toBeNull();
    }
  });

  it("keeps every event inside the history, before today and after signup", () => {
    for (const { account, events } of accounts.slice(0, 200)) {
      const signup = dayFromIsoDate(account.signupDate);
      for (const e of events) {
        expect(e.day).toBeLessThan(TODAY);
        expect(e.day).toBeGreaterThanOrEqual(Math.max(signup, TODAY - 365));
        expect(Math.floor(e.occurredAt / 86_400_000)).toBe(e.day);
      }
    }
  });

  it("populates every band with the default weights", () => {
    const counts = new Map<string, number>();
    for (const { events } of accounts) {
      const band = bandFor(score30(events, TODAY) / 100);
      counts.set(band, (counts.get(band) ?? 0) + 1);
    }
    for (const band of BANDS) expect(counts.get(band) ?? 0, band).toBeGreaterThan(accounts.length * 0.05);
  });

  it("plants the documentation-overhaul effect: new accounts ramp up faster after it", () => {
    // Score 21 days after signup, for customers who signed up in the 200 days before the
    // overhaul against those who signed up after it (and at least 21 days ago).
    const overhaul = TODAY - DOC_OVERHAUL_DAYS_AGO;
    const before: number[] = [];
    const after: number[] = [];
    for (const { account, events } of accounts) {
      if (account.stage !== "customer") continue;
      const signup = dayFromIsoDate(account.signupDate);
      if (signup + 21 >= TODAY) continue;
      const value = score30(events, signup + 21);
      if (signup >= overhaul) after.push(value);
      else if (signup >= overhaul - 200) before.push(value);
    }
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(before.length).toBeGreaterThan(30);
    expect(after.length).toBeGreaterThan(30);
    expect(avg(after)).toBeGreaterThan(avg(before) * 1.3);
  });
});
