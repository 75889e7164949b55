import { describe, expect, it } from "vitest";
import { parseAccountId, readJsonBody } from "@/lib/server/request";

describe("parseAccountId", () => {
  it("accepts positive whole numbers only", () => {
    expect(parseAccountId("42")).toBe(42);
    expect(parseAccountId("0")).toBeNull();
    expect(parseAccountId("-3")).toBeNull();
    expect(parseAccountId("1.5")).toBeNull();
    expect(parseAccountId("007")).toBeNull();
    expect(parseAccountId("abc")).toBeNull();
    expect(parseAccountId("99999999999999999")).toBeNull(); // beyond 16 digits
  });
});

describe("readJsonBody", () => {
  it("answers 400 naming the problem when the body is not JSON", async () => {
    const bad = await readJsonBody(new Request("http://x/", { method: "POST", body: "outcome=reached" }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.response.status).toBe(400);
      expect(await bad.response.json()).toEqual({ success: false, error: { code: "invalid_json", message: "The request body must be JSON." } });
    }
    const good = await readJsonBody(new Request("http://x/", { method: "POST", body: '{"outcome":"reached"}' }));
    expect(good).toEqual({ ok: true, body: { outcome: "reached" } });
  });
});
