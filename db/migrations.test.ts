import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = path.join(__dirname, "migrations");

describe("migrations", () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".sql"));

  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s never drops or truncates data", (file) => {
    const sql = fs.readFileSync(path.join(dir, file), "utf8").replace(/--.*$/gm, "");
    expect(sql).not.toMatch(/\bDROP\s+(TABLE|COLUMN)\b/i);
    expect(sql).not.toMatch(/\bDELETE\s+FROM\b/i);
    expect(sql).not.toMatch(/\bTRUNCATE\b/i);
  });
});
