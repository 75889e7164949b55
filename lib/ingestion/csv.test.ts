import { describe, expect, it } from "vitest";
import { csvLayout, detectDelimiter, eventRowMapper, mapAccountRow, parseCsvTime } from "./csv";

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

  it("maps an event row", () => {
    const layout = csvLayout("events", ["account_id", "event", "timestamp", "quantity"]);
    const now = Date.UTC(2026, 10, 22);
    const rows = eventRowMapper(layout, now);
    expect(rows.map(["acme", "Report Created", "2026-11-20", "2"])).toMatchObject({ ok: true, op: { typeKey: "report_created", quantity: 2, groupId: "acme", occurredAt: Date.UTC(2026, 10, 20) } });
    expect(rows.map(["acme", "", "2026-11-20", ""])).toEqual({ ok: false, field: "event", message: "is required" });
    expect(rows.map(["acme", "x", "2026-11-20", "0"])).toEqual({ ok: false, field: "quantity", message: "must be at least 1" });
    expect(rows.map(["", "x", "2026-11-20", ""])).toEqual({ ok: false, field: "account_id", message: "is required" });
  });
});

describe("CSV event ids (a row without a message id)", () => {
  const now = Date.UTC(2026, 10, 22);
  /** The ids a file's rows get, in order (null for a rejected row). */
  function ids(header: string[], rows: string[][]): (string | null)[] {
    const mapper = eventRowMapper(csvLayout("events", header), now);
    return rows.map((cells) => {
      const row = mapper.map(cells);
      return row.ok ? row.op.messageId : null;
    });
  }
  const header = ["account_id", "user_id", "event", "timestamp"];
  const a = ["acme", "u1", "Report Created", "2026-11-20T09:30:00Z"];
  const b = ["acme", "u2", "Report Created", "2026-11-20T09:30:00Z"];
  const c = ["globex", "", "Seat added", "2026-11-19"];

  it("come from what the row says, never from where it is in the file", () => {
    const [idA, idB, idC] = ids(header, [a, b, c]);
    expect(new Set([idA, idB, idC]).size).toBe(3);
    // Other lines before it, deleted, reordered, or a file of its own: the same id.
    expect(ids(header, [c, ["bad", "", "", "not a time"], b, a])).toEqual([idC, null, idB, idA]);
    expect(ids(header, [a])).toEqual([idA]);
    expect(ids(header, [c])).toEqual([idC]);
  });

  it("read the row as a user means it: event and time spellings, column order, blank and report columns", () => {
    const [id] = ids(header, [a]);
    expect(ids(header, [["acme", "u1", "report_created", "2026-11-20 09:30:00"]])).toEqual([id]);
    expect(ids(["Event", "Timestamp", "User", "Account"], [["report-created", "2026-11-20T09:30Z", "u1", "acme"]])).toEqual([id]);
    // A blank extra column, and the columns a rejects file adds, change nothing.
    expect(ids([...header, "page"], [[...a, ""]])).toEqual([id]);
    expect(ids(["rejected_line", "rejected_field", "rejected_reason", ...header], [["7", "timestamp", "must be a date-time", ...a]])).toEqual([id]);
  });

  it("differ when the row says something else: user, quantity, a property", () => {
    const [id] = ids(header, [a]);
    const others = [
      ...ids(header, [["acme", "u9", "Report Created", "2026-11-20T09:30:00Z"]]),
      ...ids(header, [["acme", "u1", "Report Created", "2026-11-20T09:30:01Z"]]),
      ...ids([...header, "quantity"], [[...a, "2"]]),
      ...ids([...header, "page"], [[...a, "/reports"]]),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
    // Properties are read by name, whatever their order.
    expect(ids([...header, "page", "plan"], [[...a, "/r", "Pro"]])).toEqual(ids([...header, "Plan", "Page"], [[...a, "Pro", "/r"]]));
  });

  it("number exact repeats within a file: the n-th copy is occurrence n, wherever the copies are", () => {
    const [first, second, third] = ids(header, [a, b, a, c, a]).filter((_, i) => i === 0 || i === 2 || i === 4);
    expect(second).toBe(`${first}#2`);
    expect(third).toBe(`${first}#3`);
    // Reordered, or another row between them deleted: the same three ids.
    expect(ids(header, [a, a, a])).toEqual([first, second, third]);
    // A row fixed in place to say what two other rows say is their third occurrence.
    expect(ids(header, [a, ["acme", "u1", "Report Created", "20.11.2026"], a])).toEqual([first, null, second]);
    expect(ids(header, [a, a, a])[2]).toBe(third);
  });

  it("take the file's own message id when it has one", () => {
    expect(ids([...header, "message_id"], [[...a, "evt-1"], [...a, "evt-1"]])).toEqual(["evt-1", "evt-1"]);
  });
});
