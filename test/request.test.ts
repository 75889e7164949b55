import { describe, expect, it } from "vitest";
import { HttpError, parseRequest, readJsonBody } from "@/lib/server/http";
import { parseAccountId, requireAccountId } from "@/lib/server/request";
import { z } from "zod";

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

describe("requireAccountId", () => {
  it("throws a 404 naming the segment that cannot be an account id", () => {
    expect(requireAccountId("42")).toBe(42);
    expect(() => requireAccountId("abc")).toThrow(new HttpError(404, "not_found", "There is no account with id abc."));
  });
});

describe("readJsonBody and parseRequest", () => {
  it("throw a 400 naming the problem when the body is not JSON or a field is invalid", async () => {
    await expect(readJsonBody(new Request("http://x/", { method: "POST", body: "outcome=reached" }))).rejects.toMatchObject({
      status: 400,
      code: "invalid_json",
    });
    const body = await readJsonBody(new Request("http://x/", { method: "POST", body: '{"outcome":"reached"}' }));
    expect(body).toEqual({ outcome: "reached" });
    const schema = z.object({ outcome: z.enum(["reached", "voicemail"]), note: z.string().max(3) });
    try {
      parseRequest(schema, { outcome: "reached", note: "too long" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ status: 400, code: "invalid_request", field: "note" });
      expect((error as HttpError).message).toMatch(/^note: /);
    }
  });
});
