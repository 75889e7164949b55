// @ts-check
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
};

module.exports = nextConfig;
