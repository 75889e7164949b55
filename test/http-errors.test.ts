import { afterEach, describe, expect, it } from "vitest";
import { setLogSink } from "@/lib/log";
import { handleErrors, HttpError } from "@/lib/http/server/http";

/** Every error that reaches a user has a log line with the same request id. */
const configuredLevel = process.env.LOG_LEVEL;
function capture(): Record<string, unknown>[] {
  process.env.LOG_LEVEL = "info";
  const lines: Record<string, unknown>[] = [];
  setLogSink((line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return lines;
}
afterEach(() => {
  setLogSink(null);
  if (configuredLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = configuredLevel;
});

describe("error answers and their log lines", () => {
  it("a server error: the answer names a reference, and one error line with its stack has the same id", async () => {
    const lines = capture();
    const response = await handleErrors(() => {
      throw new Error("disk I/O error");
    });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { requestId: string; message: string } };
    const id = response.headers.get("x-request-id");
    expect(id).toBeTruthy();
    expect(body.error.requestId).toBe(id);
    expect(body.error.message).toContain(`reference ${id}`);
    expect(body.error.message).not.toContain("disk I/O");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", requestId: id, status: 500, code: "internal_error", err: { message: "disk I/O error" } });
  });

  it("a client error: a warning line with the id the answer's X-Request-Id header carries", async () => {
    const lines = capture();
    const response = await handleErrors(() => {
      throw new HttpError(400, "invalid_request", "name: is required", "name");
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ success: false, error: { code: "invalid_request", message: "name: is required", field: "name" } });
    expect(lines).toEqual([expect.objectContaining({ level: "warn", requestId: response.headers.get("x-request-id"), status: 400, field: "name" })]);
  });
});
