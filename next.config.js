// @ts-check

/**
 * Security headers on every response. The Content-Security-Policy itself is set per request
 * by proxy.ts (pages need a fresh nonce); the static assets the proxy skips get a strict one
 * here. lib/http/security-headers.ts has the same list for the server's own early answers (a test
 * keeps the two equal).
 */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // better-sqlite3 is a native addon: it must be required at run time, never bundled.
  serverExternalPackages: ["better-sqlite3"],
  typedRoutes: false,
  // Segment SDKs post to <host>/v1/<call>. A rewrite (never a redirect: SDKs count a 3xx as
  // delivered) hands those to the App Router handler; checked before the file system.
  // analytics.js in a browser also asks for its settings and, loaded by the snippet, for the
  // library and its parts, at the paths of Segment's CDN (lib/ingestion/server/browser.ts).
  async rewrites() {
    return {
      beforeFiles: [
        { source: "/v1/projects/:writeKey/settings", destination: "/api/segment/projects/:writeKey/settings" },
        { source: "/v1/:call", destination: "/api/segment/:call" },
        { source: "/analytics.js/v1/:writeKey/analytics.min.js", destination: "/api/segment/library/:writeKey" },
        { source: "/analytics-next/bundles/:file", destination: "/api/segment/bundles/:file" },
      ],
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
      // The APIs' policy (API_CONTENT_SECURITY_POLICY in lib/http/security-headers.ts): proxy.ts skips them.
      ...["/api", "/api/:path*", "/v1", "/v1/:path*", "/analytics.js/:path*", "/analytics-next/:path*", "/metrics"].map((source) => ({
        source,
        headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }],
      })),
    ];
  },
};

module.exports = nextConfig;
