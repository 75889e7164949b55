import { describe, expect, it } from "vitest";
import { HttpError, parseRequest } from "@/lib/http/server/http";
import { BODY_LIMITS, readBodyBytes, readJsonBody } from "@/lib/http/server/request-body";
import { parseAccountId, requireAccountId } from "@/lib/http/server/request";
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

const json = { "content-type": "application/json" };

describe("readJsonBody and parseRequest", () => {
  it("throw a 400 naming the problem when the body is not JSON or a field is invalid", async () => {
    await expect(readJsonBody(new Request("http://x/", { method: "POST", headers: json, body: "outcome=reached" }))).rejects.toMatchObject({
      status: 400,
      code: "invalid_json",
    });
    const body = await readJsonBody(new Request("http://x/", { method: "POST", headers: json, body: '{"outcome":"reached"}' }));
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

  it("refuses a body that does not say it is JSON (415): a form or text/plain is how another site posts without asking", async () => {
    for (const type of [undefined, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const request = new Request("http://x/", { method: "POST", headers: type ? { "content-type": type } : {}, body: '{"outcome":"reached"}' });
      await expect(readJsonBody(request)).rejects.toMatchObject({ status: 415, code: "unsupported_media_type" });
    }
    const typed = new Request("http://x/", { method: "POST", headers: { "content-type": "application/merge-patch+json; charset=utf-8" }, body: "{}" });
    expect(await readJsonBody(typed)).toEqual({});
  });

  it("refuses JSON nested deeper than the limit with a 400 that names it", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    await expect(readJsonBody(new Request("http://x/", { method: "POST", headers: json, body: deep }), 1024 * 1024)).rejects.toMatchObject({
      status: 400,
      code: "json_too_deep",
      message: expect.stringContaining("64 levels"),
    });
    // Brackets inside strings are text, not nesting.
    expect(await readJsonBody(new Request("http://x/", { method: "POST", headers: json, body: JSON.stringify({ a: "[".repeat(500) }) }))).toEqual({ a: "[".repeat(500) });
  });
});

/** A body sent in chunks, without a Content-Length, counting what the server pulled. */
function streamedBody(chunk: Uint8Array, chunks: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= chunks) return controller.close();
      sent++;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

describe("request body limits", () => {
  it("refuse a declared Content-Length above the limit before reading anything (413)", async () => {
    const { stream, pulled } = streamedBody(new Uint8Array(1024), 10);
    const request = new Request("http://x/", { method: "POST", headers: { ...json, "content-length": String(300 * 1024 * 1024) }, body: stream, duplex: "half" } as RequestInit);
    await expect(readJsonBody(request)).rejects.toMatchObject({ status: 413, code: "payload_too_large", message: expect.stringContaining("64 KB") });
    expect(pulled()).toBe(0);
  });

  it("stop reading a body without a length as soon as it passes the limit (413)", async () => {
    // 300 MB offered in 64 KB chunks: only a little more than the limit is ever pulled.
    const { stream, pulled } = streamedBody(new Uint8Array(64 * 1024).fill(32), 4800);
    const request = new Request("http://x/", { method: "POST", headers: json, body: stream, duplex: "half" } as RequestInit);
    await expect(readBodyBytes(request, BODY_LIMITS.authForm)).rejects.toMatchObject({ status: 413, message: expect.stringContaining("16 KB") });
    expect(pulled()).toBeLessThanOrEqual(3);
  });

  it("read a body within the limit whole", async () => {
    const { stream } = streamedBody(new TextEncoder().encode("[1,2,3]"), 1);
    const request = new Request("http://x/", { method: "POST", headers: json, body: stream, duplex: "half" } as RequestInit);
    expect(await readJsonBody(request)).toEqual([1, 2, 3]);
  });
});
