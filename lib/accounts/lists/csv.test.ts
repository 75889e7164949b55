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
  band: "low",
  activity: "active",
  previousHundredths: 5500,
  previousBand: "medium",
  previousActivity: "active",
  firstDate: "2024-01-15",
  declining: true,
  lastContact: { at: Date.UTC(2026, 2, 30, 9, 15), outcome: "no_answer", by: "Ben Bell" },
  snoozedUntil: null,
};

describe("call list CSV", () => {
  it("has one header per column, naming the comparison period in force", () => {
    expect(callListCsvHeader(30)).toBe(
      "Account,External ID,Score,Band,Activity,Score 30 days ago,Band 30 days ago,Change,Declining,Band change,First day,Renewal date,Trial end date,ARR,Plan,Region,Industry,Stage,Account manager,Last contact,Last contact outcome,Last contacted by,Snoozed until\r\n",
    );
    expect(callListCsvHeader(14)).toContain(",Score 14 days ago,Band 14 days ago,");
  });
  it("writes a row as hand-worked: exact points, the band drop, the last contact in UTC", () => {
    expect(callListCsvRecord(row)).toBe(
      '"Smith, Jones & Co",acc_00007,23.5,Low,Active,55,Medium,-31.5,yes,medium → low,2024-01-15,2026-05-01,,24000,Growth,Europe,Retail,customer,Ann Ames,2026-03-30T09:15:00.000Z,No answer,Ben Bell,\r\n',
    );
  });
  it("leaves the contact columns empty for an account never contacted", () => {
    const line = callListCsvRecord({ ...row, name: "Quiet", lastContact: null, declining: false, previousBand: "low", snoozedUntil: "2026-04-02" });
    expect(line).toBe("Quiet,acc_00007,23.5,Low,Active,55,Low,-31.5,no,,2024-01-15,2026-05-01,,24000,Growth,Europe,Retail,customer,Ann Ames,,,,2026-04-02\r\n");
  });
  it("leaves the previous score, band and change of a new account empty: it did not exist then", () => {
    const line = callListCsvRecord({ ...row, name: "Newco", previousHundredths: null, previousBand: null, previousActivity: null, declining: false, firstDate: "2026-03-20", lastContact: null });
    expect(line).toBe("Newco,acc_00007,23.5,Low,Active,,,,no,new,2026-03-20,2026-05-01,,24000,Growth,Europe,Retail,customer,Ann Ames,,,,\r\n");
  });
  it("names the standing: silent churn risk, and not active yet instead of churn risk", () => {
    const silent = callListCsvRecord({ ...row, scoreHundredths: 0, band: "churn_risk", activity: "silent", previousHundredths: 0, previousBand: "churn_risk", previousActivity: "silent", declining: false, lastContact: null });
    expect(silent).toMatch(/^"Smith, Jones & Co",acc_00007,0,Churn risk,Silent,0,Churn risk,0,no,,/);
    const fresh = callListCsvRecord({ ...row, scoreHundredths: 0, band: "churn_risk", activity: "not_active_yet", previousHundredths: null, previousBand: null, previousActivity: null, declining: false, lastContact: null });
    expect(fresh).toMatch(/^"Smith, Jones & Co",acc_00007,0,Not active yet,Not active yet,,,,no,new,/);
  });
});
