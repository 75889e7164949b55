import { describe, expect, it } from "vitest";
import { columnKind, fieldEncoder } from "./copy-text";

/** PostgreSQL's COPY text format as db/transfer.ts writes it (round trips: transfer.postgres.test.ts). */
describe("COPY text fields", () => {
  const text = fieldEncoder("text", "t.c");
  const integer = fieldEncoder("integer", "t.c");
  const float = fieldEncoder("float", "t.c");
  const floatBits = fieldEncoder("float", "t.c", true);
  const bytea = fieldEncoder("bytea", "t.c");

  it("escapes what COPY gives a meaning, as PostgreSQL prints it back", () => {
    expect(text("a\tb\nc\rd\\e\bf\fg\vh")).toBe("a\\tb\\nc\\rd\\\\e\\bf\\fg\\vh");
    expect(text("\\N")).toBe("\\\\N");
    expect(text("Zoë 東京 🚀 \u0001")).toBe("Zoë 東京 🚀 \u0001");
  });

  it("tells NULL from the empty string in every kind of column", () => {
    for (const encode of [text, integer, float, bytea]) expect(encode(null)).toBe("\\N");
    expect(text("")).toBe("");
  });

  it("writes integers exactly, past 2^53 too", () => {
    expect(integer(9007199254740993n)).toBe("9007199254740993");
    expect(integer(-42)).toBe("-42");
  });

  it("writes floats in full and checks them by their bits", () => {
    expect(float(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(float(-0)).toBe("-0");
    expect(float(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(float(5n)).toBe("5");
    expect(floatBits(1)).toBe("\\\\x3ff0000000000000");
  });

  it("writes blobs as escaped hex", () => {
    expect(bytea(Buffer.from([0, 0x5c, 0xff]))).toBe("\\\\x005cff");
  });

  it("refuses a value its column cannot hold, naming the column", () => {
    expect(() => integer("12abc")).toThrow('t.c: the text "12abc" cannot be stored in an integer column');
    expect(() => integer(1.5)).toThrow("t.c: the number 1.5 cannot be stored in an integer column");
    expect(() => text(Buffer.from("x"))).toThrow("t.c: a blob cannot be stored in a text column");
    expect(() => bytea("x")).toThrow('t.c: the text "x" cannot be stored in a bytea column');
  });

  it("knows the column types the schema uses, and no others", () => {
    expect(["smallint", "integer", "bigint", "double precision", "text", "bytea"].map(columnKind)).toEqual([
      "integer",
      "integer",
      "integer",
      "float",
      "text",
      "bytea",
    ]);
    expect(columnKind("jsonb")).toBeNull();
  });
});
