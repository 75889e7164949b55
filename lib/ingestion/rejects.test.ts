import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvLayout } from "./csv";
import { describeReason, ProblemTally, rejectsHeaderLine, rejectsPathFor, rejectsRowLine } from "./rejects";

describe("rejects file", () => {
  it("puts line, column and reason before the row as it was, and reads back as the original columns", () => {
    const header = ["account_id", "event", "timestamp", "note"];
    const cells = ["acme", "Report Created", "someday", 'said "hi", then -1'];
    const text =
      rejectsHeaderLine(header, ",") +
      rejectsRowLine({ line: 7, field: "timestamp", message: "must be a date-time", reason: "must be a date-time" }, cells, ",") +
      rejectsRowLine({ line: 9, field: "=account", message: "@SUM(1) does not exist", reason: "does not exist" }, ["=cmd", "x", "2026-11-20", "-2"], ",");
    const rows = parse(text) as string[][];
    expect(rows[0]).toEqual(["rejected_line", "rejected_field", "rejected_reason", ...header]);
    expect(rows[1]).toEqual(["7", "timestamp", "must be a date-time", ...cells]);
    // Our text is guarded against spreadsheet formulas; the user's own cells come back unchanged.
    expect(rows[2]).toEqual(["9", "'=account", "'@SUM(1) does not exist", "=cmd", "x", "2026-11-20", "-2"]);
    // Imported again, the added columns mean nothing.
    expect(csvLayout("events", rows[0] ?? []).columns.slice(0, 3).map((c) => c.field)).toEqual([null, null, null]);
    expect(csvLayout("events", rows[0] ?? []).properties.map((p) => p.name)).toEqual(["note"]);
  });

  it("keeps the input's delimiter", () => {
    expect(rejectsRowLine({ line: 2, field: "id", message: "is required", reason: "is required" }, ["", "a;b"], ";")).toBe('2;id;is required;;"a;b"\r\n');
  });

  it("lives beside the input", () => {
    expect(rejectsPathFor("/data/events.csv")).toBe("/data/events.rejects.csv");
    expect(rejectsPathFor("/data/Events.CSV")).toBe("/data/Events.rejects.csv");
    expect(rejectsPathFor("/data/export")).toBe("/data/export.rejects.csv");
    expect(rejectsPathFor("/data/events.rejects.csv")).toBe("/data/events.rejects.rejects.csv");
  });

  it("counts every problem by column and reason, most frequent first", () => {
    const tally = new ProblemTally();
    for (let i = 0; i < 3; i++) tally.add({ field: "account_id", reason: "account does not exist" });
    tally.add({ field: "timestamp", reason: "must be a date-time" });
    tally.add({ field: "", reason: "has another number of cells than the header" });
    tally.add({ field: "event", reason: "is required" });
    expect(tally.byReason().map(describeReason)).toEqual([
      "account_id: account does not exist",
      "has another number of cells than the header",
      "event: is required",
      "timestamp: must be a date-time",
    ]);
    expect(tally.byReason()[0]?.count).toBe(3);
  });
});
