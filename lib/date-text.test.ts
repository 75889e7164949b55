import { describe, expect, it } from "vitest";
import { parseDateText } from "./date-text";
import { formatDate } from "./format";

describe("parseDateText", () => {
  it.each([
    ["8 Dec 2025", "2025-12-08"],
    ["08 dec 2025", "2025-12-08"],
    ["8 December 2025", "2025-12-08"],
    ["8 Sept 2025", "2025-09-08"],
    ["Dec 8, 2025", "2025-12-08"],
    ["  8  Dec.  2025 ", "2025-12-08"],
    ["2025-12-08", "2025-12-08"],
    ["29 Feb 2028", "2028-02-29"],
  ])("reads %j as %s", (text, iso) => {
    expect(parseDateText(text)).toBe(iso);
  });

  it.each(["", "08/12/2025", "12/8/2025", "8 Dez 2025", "8 De 2025", "31 Nov 2025", "29 Feb 2027", "2025-13-01", "8 Dec", "Decembers 8 2025"])("refuses %j", (text) => {
    expect(parseDateText(text)).toBeNull();
  });

  it("reads back every date the app writes", () => {
    for (const iso of ["2025-01-01", "2026-03-05", "2026-09-30", "2027-12-31"]) expect(parseDateText(formatDate(iso))).toBe(iso);
  });
});
