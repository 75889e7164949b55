import { describe, expect, it } from "vitest";
import { jsonNestingExceeds, MAX_JSON_DEPTH } from "./json-depth";

describe("jsonNestingExceeds", () => {
  it("finds nesting past the limit without parsing, even 100,000 levels deep", () => {
    expect(jsonNestingExceeds("[".repeat(100_000) + "]".repeat(100_000))).toBe(true);
    expect(jsonNestingExceeds(`${'{"a":'.repeat(MAX_JSON_DEPTH + 1)}1${"}".repeat(MAX_JSON_DEPTH + 1)}`)).toBe(true);
  });

  it("accepts nesting up to the limit", () => {
    expect(jsonNestingExceeds(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)).toBe(false);
    expect(jsonNestingExceeds('{"batch":[{"properties":{"a":{"b":[1,2]}}}]}')).toBe(false);
  });

  it("skips brackets inside strings, escaped quotes included", () => {
    expect(jsonNestingExceeds(JSON.stringify({ a: "[[[[".repeat(100), b: 'say \\"[[[\\"' }), 3)).toBe(false);
  });
});
