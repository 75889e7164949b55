import { describe, expect, it } from "vitest";
import { describeDryRun, parseDryRun, type WouldStore } from "./dry-run";

const nothing: WouldStore = { events: 0, waitingEvents: 0, accountsCreated: 0, accountsUpdated: 0, eventTypesCreated: 0, outcomesCreated: 0, outcomesUpdated: 0 };

describe("parseDryRun", () => {
  it.each([
    [null, false],
    ["true", true],
    ["1", true],
    ["false", false],
    ["0", false],
  ])("reads %s as %s", (value, dryRun) => {
    expect(parseDryRun(value)).toEqual({ ok: true, dryRun });
  });

  it.each(["", "yes", "TRUE", "2"])("refuses %j, naming the parameter", (value) => {
    expect(parseDryRun(value)).toEqual({ ok: false, message: "The dryRun parameter must be true or false." });
  });
});

describe("describeDryRun", () => {
  it("says what the sample call would store", () => {
    expect(describeDryRun({ accepted: 1, duplicates: 0, rejected: [], wouldStore: { ...nothing, events: 1, accountsCreated: 1 } })).toBe(
      "The key works. This call would store 1 event and create 1 account. Nothing was stored (dry run).",
    );
  });

  it("lists every kind of write, duplicates and rejections", () => {
    expect(
      describeDryRun({
        accepted: 5,
        duplicates: 2,
        rejected: [{}],
        wouldStore: { events: 3, waitingEvents: 1, accountsCreated: 0, accountsUpdated: 2, eventTypesCreated: 1, outcomesCreated: 0, outcomesUpdated: 1 },
      }),
    ).toBe(
      "The key works. This call would store 3 events (1 waiting for a user's account), update 2 accounts, register 1 new event type (weight 0) and correct 1 renewal outcome; 2 items are duplicates and 1 item would be rejected. Nothing was stored (dry run).",
    );
  });

  it("says so when nothing new would be stored", () => {
    expect(describeDryRun({ accepted: 0, duplicates: 1, rejected: [], wouldStore: nothing })).toBe(
      "The key works. This call would store nothing new; 1 item is a duplicate. Nothing was stored (dry run).",
    );
  });
});
