import { describe, expect, it } from "vitest";
import { cleanLine, cleanText, hasUnsafeCharacters } from "./text-safety";

describe("text safety", () => {
  it("removes controls, NUL, ANSI escape sequences and bidi overrides from display text", () => {
    expect(cleanLine("Acme\u0000 Corp")).toBe("Acme Corp");
    expect(cleanLine("\u001b[31mRed\u001b[0m Inc")).toBe("Red Inc");
    expect(cleanLine("\u009b2JCleared")).toBe("Cleared");
    expect(cleanLine("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(cleanLine("a\u2066b\u2069c\u0007d\u007fe\u0085f")).toBe("abcdef");
    expect(cleanLine("two\nlines\tand\r\ntab")).toBe("two lines and tab");
  });

  it("keeps ordinary Unicode: accents, other scripts, right-to-left text itself, emoji, joiners", () => {
    for (const name of ["Société Générale", "株式会社テスト", "شركة الاختبار", "חברה", "Zoë 🚀", "👩‍💻 Dev Co", "Ünïcødé — “quotes”"]) {
      expect(cleanLine(name)).toBe(name);
      expect(hasUnsafeCharacters(name)).toBe(false);
    }
  });

  it("keeps line breaks and tabs in multi-line text, with one kind of line break", () => {
    expect(cleanText("first\r\nsecond\n\tindented\u0000\u001b[1m bold")).toBe("first\nsecond\n\tindented bold");
  });

  it("finds what an identifier must not hold", () => {
    for (const id of ["acme\u0000", "a\tb", "line\nbreak", "\u001b[0m", "ab\u202Ec"]) expect(hasUnsafeCharacters(id)).toBe(true);
    expect(hasUnsafeCharacters("acme-inc_42.eu@x")).toBe(false);
  });
});
