import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csvCell", () => {
  it("leaves plain text and numbers as they are", () => {
    expect(csvCell("Northwind Labs")).toBe("Northwind Labs");
    expect(csvCell(57.5)).toBe("57.5");
    expect(csvCell(-12)).toBe("-12");
    expect(csvCell(0)).toBe("0");
  });
  it("writes nothing for missing values and non-finite numbers", () => {
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvCell("Smith, Jones & Co")).toBe('"Smith, Jones & Co"');
    expect(csvCell('The "Best" Co')).toBe('"The ""Best"" Co"');
    expect(csvCell("line one\nline two")).toBe('"line one\nline two"');
  });
  it("quotes the field separator of every common locale, so no spreadsheet splits a cell into a formula", () => {
    // A spreadsheet set to semicolons (locales with a decimal comma) would read `Acme;=1+1` as two cells.
    expect(csvCell("Acme;=1+1")).toBe('"Acme;=1+1"');
    expect(csvCell("Acme\t=1+1")).toBe('"Acme\t=1+1"');
    expect(csvCell("Acme,=1+1")).toBe('"Acme,=1+1"');
    // A leading separator-cell formula is still defused as well as quoted.
    expect(csvCell("=1+1;x")).toBe(`"'=1+1;x"`);
  });
  it("defuses text a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+1 555")).toBe("'+1 555");
    expect(csvCell("-minus")).toBe("'-minus");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });
  it("writes booleans as true/false", () => {
    expect(csvCell(true)).toBe("true");
    expect(csvCell(false)).toBe("false");
  });
});

describe("csvLine", () => {
  it("joins cells with commas and ends with CRLF", () => {
    expect(csvLine(["Acme, Inc", 42.5, null, "ok"])).toBe('"Acme, Inc",42.5,,ok\r\n');
  });
});
