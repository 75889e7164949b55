import { describe, expect, it } from "vitest";
import { callListCsvHeader, callListCsvRecord } from "./csv";
import type { CallListRow } from "./types";

const row: CallListRow = {
  id: 7,
  externalId: "acc_00007",
  name: "Smith, Jones & Co",
  plan: "Growth",
  region: "Europe",
  industry: "Retail",
  stage: "customer",
  accountManager: "Ann Ames",
  renewalDate: "2026-05-01",
  trialEndDate: null,
  arr: 24000,
  scoreHundredths: 2350,
  previousHundredths: 5500,
  band: "low",
  previousBand: "medium",
  declining: true,
  lastContact: { at: Date.UTC(2026, 2, 30, 9, 15), outcome: "no_answer", by: "Ben Bell" },
  snoozedUntil: null,
};

describe("call list CSV", () => {
  it("has one header per column", () => {
    expect(callListCsvHeader()).toBe(
      "Account,External ID,Score,Band,Score 30 days ago,Change,Declining,Band change,Renewal date,Trial end date,ARR,Plan,Region,Industry,Stage,Account manager,Last contact,Last contact outcome,Last contacted by,Snoozed until\r\n",
    );
  });
  it("writes a row as hand-worked: exact points, the band drop, the last contact in UTC", () => {
    expect(callListCsvRecord(row)).toBe(
      '"Smith, Jones & Co",acc_00007,23.5,Low,55,-31.5,yes,medium → low,2026-05-01,,24000,Growth,Europe,Retail,customer,Ann Ames,2026-03-30T09:15:00.000Z,No answer,Ben Bell,\r\n',
    );
  });
  it("leaves the contact columns empty for an account never contacted", () => {
    const line = callListCsvRecord({ ...row, name: "Quiet", lastContact: null, declining: false, previousBand: "low", snoozedUntil: "2026-04-02" });
    expect(line).toBe("Quiet,acc_00007,23.5,Low,55,-31.5,no,,2026-05-01,,24000,Growth,Europe,Retail,customer,Ann Ames,,,,2026-04-02\r\n");
  });
});
