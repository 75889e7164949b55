import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, scoresQuerySchema } from "./scores";

describe("read API cursors", () => {
  it("round-trip, and anything else is refused", () => {
    const cursor = { since: 1_700_000_000_000, changedAt: 1_700_000_000_500, accountId: 42, startedAt: 1_700_000_100_000 };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor("bm90LWEtY3Vyc29y")).toBeNull();
    expect(decodeCursor(Buffer.from("[1,2,0,4]").toString("base64url"))).toBeNull();
    expect(decodeCursor("%%%")).toBeNull();
  });

  it("bound the page size and need a date-time with a zone", () => {
    expect(scoresQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(scoresQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
    expect(scoresQuerySchema.safeParse({ changedSince: "2026-12-01" }).success).toBe(false);
    expect(scoresQuerySchema.parse({ changedSince: "2026-12-01T00:00:00+01:00", limit: "50" })).toEqual({ changedSince: "2026-12-01T00:00:00+01:00", limit: 50 });
    expect(scoresQuerySchema.safeParse({ other: "x" }).success).toBe(false);
  });
});
