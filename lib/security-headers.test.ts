import { createRequire } from "node:module";
import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";
import { API_CONTENT_SECURITY_POLICY } from "./security-headers";

const nextConfig = createRequire(import.meta.url)("../next.config.js") as NextConfig;

describe("the APIs' Content-Security-Policy", () => {
  it("is set by next.config.js for every API path (proxy.ts skips them), as lib/security-headers.ts defines it", async () => {
    const rules = (await nextConfig.headers?.()) ?? [];
    for (const source of ["/api", "/api/:path*", "/v1", "/v1/:path*"]) {
      const rule = rules.find((r) => r.source === source);
      expect(rule?.headers, source).toContainEqual({ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY });
    }
  });
});
