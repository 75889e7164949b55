import { describe, expect, it } from "vitest";
import { csvLayout, detectDelimiter, mapAccountRow, mapEventRow, parseCsvTime } from "./csv";

describe("CSV layout", () => {
  it("reads headers in any spelling and names what is missing", () => {
    const layout = csvLayout("accounts", ["ID", "Account Manager", "renewalDate", "Notes"]);
    expect(layout.columns.map((c) => c.field)).toEqual(["id", "accountManager", "renewalDate", null]);
    expect(layout.problems).toEqual([]);
    expect(csvLayout("events", ["account_id", "when"]).problems).toHaveLength(2);
    expect(csvLayout("accounts", ["id", "plan", "Plan"]).problems[0]).toContain("both hold plan");
  });

  it("detects comma, semicolon and tab delimiters", () => {
    expect(detectDelimiter("id,name,plan")).toBe(",");
    expect(detectDelimiter("id;name;plan")).toBe(";");
    expect(detectDelimiter("id\tname\tplan")).toBe("\t");
  });
});

describe("CSV times", () => {
  it("reads ISO date-times (UTC when no zone), dates and Unix times", () => {
    expect(parseCsvTime("2026-11-22T09:30:00Z")).toBe(Date.UTC(2026, 10, 22, 9, 30));
    expect(parseCsvTime("2026-11-22 09:30")).toBe(Date.UTC(2026, 10, 22, 9, 30));
    expect(parseCsvTime("2026-11-22T09:30:00+0200")).toBe(Date.UTC(2026, 10, 22, 7, 30));
    expect(parseCsvTime("2026-11-22")).toBe(Date.UTC(2026, 10, 22));
    expect(parseCsvTime("1795341000")).toBe(1_795_341_000_000);
    expect(parseCsvTime("1795341000123")).toBe(1_795_341_000_123);
    expect(parseCsvTime("2026-02-30")).toBeNull();
    expect(parseCsvTime("22/11/2026")).toBeNull();
  });
});

describe("CSV rows", () => {
  it("maps an account row; blank cells clear, tags and users split", () => {
    const layout = csvLayout("accounts", ["id", "name", "plan", "arr", "tags", "user_ids"]);
    expect(mapAccountRow(layout, ["acme", "Acme", "", "$12,000.50", "a; b", "u1|u2"])).toEqual({
      ok: true,
      op: { kind: "account", messageId: "acme", groupId: "acme", patch: { name: "Acme", plan: null, arr: 12000.5, tags: ["a", "b"] }, linkIds: ["u1", "u2"] },
    });
    expect(mapAccountRow(layout, ["", "x", "", "", "", ""])).toEqual({ ok: false, field: "id", message: "is required" });
    expect(mapAccountRow(layout, ["a", "x", "", "lots", "", ""])).toMatchObject({ ok: false, field: "arr" });
  });

  it("maps an event row with an id from its content and line when it has none", () => {
    const layout = csvLayout("events", ["account_id", "event", "timestamp", "quantity"]);
    const now = Date.UTC(2026, 10, 22);
    const first = mapEventRow(layout, ["acme", "Report Created", "2026-11-20", "2"], 2, now);
    const again = mapEventRow(layout, ["acme", "Report Created", "2026-11-20", "2"], 2, now);
    const otherLine = mapEventRow(layout, ["acme", "Report Created", "2026-11-20", "2"], 3, now);
    expect(first).toMatchObject({ ok: true, op: { typeKey: "report_created", quantity: 2, groupId: "acme", occurredAt: Date.UTC(2026, 10, 20) } });
    if (!first.ok || !again.ok || !otherLine.ok) throw new Error("rows should map");
    expect(first.op.messageId).toBe(again.op.messageId);
    expect(first.op.messageId).not.toBe(otherLine.op.messageId);
    expect(mapEventRow(layout, ["acme", "", "2026-11-20", ""], 4, now)).toEqual({ ok: false, field: "event", message: "is required" });
    expect(mapEventRow(layout, ["acme", "x", "2026-11-20", "0"], 5, now)).toEqual({ ok: false, field: "quantity", message: "must be at least 1" });
    expect(mapEventRow(layout, ["", "x", "2026-11-20", ""], 6, now)).toEqual({ ok: false, field: "account_id", message: "is required" });
  });
});
