// @ts-check

/**
 * Security headers on every response. The Content-Security-Policy itself is set per request
 * by proxy.ts (pages need a fresh nonce); the static assets the proxy skips get a strict one
 * here. The list is shared with lib/security-headers.ts (the server's own early answers).
 */
const securityHeaders = require("./lib/base-security-headers.json");

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon: it must be required at run time, never bundled.
  serverExternalPackages: ["better-sqlite3"],
  typedRoutes: false,
  // Segment SDKs post to <host>/v1/<call>. A rewrite (never a redirect: SDKs count a 3xx as
  // delivered) hands those to the App Router handler; checked before the file system.
  async rewrites() {
    return {
      beforeFiles: [{ source: "/v1/:call", destination: "/api/segment/:call" }],
      afterFiles: [],
      fallback: [],
    };
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      {
        source: "/_next/static/:path*",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      {
        source: "/:file(favicon.ico|icon.svg)",
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      },
      // The APIs' policy (API_CONTENT_SECURITY_POLICY in lib/security-headers.ts): proxy.ts skips them.
      ...["/api", "/api/:path*", "/v1", "/v1/:path*"].map((source) => ({
        source,
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      })),
    ];
  },
};

module.exports = nextConfig;
