import { createRequire } from "node:module";
import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, malformedPathAnswer } from "./security-headers";

const nextConfig = createRequire(import.meta.url)("../../next.config.js") as NextConfig;

describe("the APIs' Content-Security-Policy", () => {
  it("is set by next.config.js for every API path (proxy.ts skips them), as lib/http/security-headers.ts defines it", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    for (const source of ["/api", "/api/:path*", "/v1", "/v1/:path*"]) {
      const rule = rules.find((r) => r.source === source);
      expect(rule?.headers, source).toContainEqual({ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY });
    }
  });
});

describe("the base security headers", () => {
  it("are the ones next.config.js sets on every path", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    expect(rules.find((r) => r.source === "/:path*")?.headers).toEqual([...BASE_SECURITY_HEADERS]);
  });
});

describe("a path that cannot be decoded", () => {
  it("is answered 400 with the security headers: JSON for the APIs, a short page otherwise", () => {
    for (const path of ["/api/accounts/%", "/api/admin/tags/%", "/v1/%zz"]) {
      const answer = malformedPathAnswer(path);
      expect(answer?.status).toBe(400);
      expect(JSON.parse(answer?.body ?? "")).toMatchObject({ success: false, error: { code: "invalid_path" } });
      expect(answer?.headers).toMatchObject({ "X-Content-Type-Options": "nosniff", "Content-Security-Policy": API_CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY" });
    }
    const page = malformedPathAnswer("/accounts/%?list=low");
    expect(page?.headers["Content-Type"]).toMatch(/^text\/html/);
    expect(page?.body).toContain("Bad address");
  });

  it("leaves every decodable path alone, a % in the query included", () => {
    for (const path of ["/", "/accounts/12", "/api/admin/tags/100%25", "/accounts?q=100%", "/caf%C3%A9"]) expect(malformedPathAnswer(path)).toBeNull();
  });
});
