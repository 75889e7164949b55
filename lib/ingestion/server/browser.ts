import "server-only";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Db } from "@/db/client";
import { browserSettings } from "@/lib/ingestion/browser-settings";
import { publicOrigin } from "@/lib/http/public-origin";
import { authenticateWriteKey } from "./write-keys";
import { ingestError } from "./request";

/**
 * What analytics.js in a browser needs besides the tracking endpoints, so that pointing it at
 * this server is the whole set-up: its settings document, a sink for its usage reports, and
 * (for the snippet) the library itself with its lazily loaded parts, served from the
 * @segment/analytics-next package this server ships with, at the paths Segment's CDN uses.
 */

/** Any page may load these: the write key, not the page's origin, is what authorises data. */
const BROWSER_CORS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

function unknownKey(): Response {
  return ingestError(401, "invalid_write_key", "Unknown or revoked write key: create one under Admin → Write keys.", {
    cors: true,
    headers: { "Cache-Control": "no-store" },
  });
}

/**
 * GET /v1/projects/{writeKey}/settings. For an active key only. The addresses in it are this
 * server's as the browser reached it (behind a proxy: X-Forwarded-Proto/-Host or Forwarded).
 * Browsers may keep it a minute; shared caches may not (it depends on those headers).
 */
export async function handleBrowserSettings(db: Db, request: Request, writeKey: string): Promise<Response> {
  if (!(await authenticateWriteKey(db, writeKey))) return unknownKey();
  const origin = publicOrigin((name) => request.headers.get(name), request.url);
  return Response.json(browserSettings(writeKey, origin), {
    headers: { ...BROWSER_CORS, "Cache-Control": "private, max-age=60" },
  });
}

/** POST /v1/m: analytics.js' own usage reports. Not ours to keep: accepted and discarded, unread. */
export function handleUsageReport(): Response {
  return new Response(null, { status: 204, headers: BROWSER_CORS });
}

/** The answer to a CORS preflight on the browser paths. */
export function browserPreflight(): Response {
  return new Response(null, { status: 204, headers: BROWSER_CORS });
}

// ---- the library ------------------------------------------------------------------------

interface LibraryFiles {
  dir: string;
  /** analytics.js as the snippet loads it (the package's standalone build). */
  standalone: string;
  /** Its lazily loaded parts, by file name ("auto-track.bundle.<hash>.js", and their maps). */
  bundles: Set<string>;
}

let library: LibraryFiles | null = null;

function libraryFiles(): LibraryFiles {
  if (library) return library;
  // Resolved at run time from the installed package (never bundled into the server build). The
  // turbopackIgnore marks keep the build from tracing every file under the project for these
  // run-time paths (it read a benchmark's 20 GB of data files and ran out of memory).
  const packageJson = createRequire(path.join(/*turbopackIgnore: true*/ process.cwd(), "package.json")).resolve("@segment/analytics-next/package.json");
  const dir = path.join(/*turbopackIgnore: true*/ path.dirname(packageJson), "dist", "umd");
  const bundles = new Set(fs.readdirSync(dir).filter((name) => /^[\w-]+\.bundle\.[0-9a-f]+\.js(\.map)?$/.test(name)));
  library = { dir, standalone: "standalone.js", bundles };
  return library;
}

const JS_HEADERS = { "Content-Type": "text/javascript; charset=utf-8", ...BROWSER_CORS };

/** GET /analytics.js/v1/{writeKey}/analytics.min.js: the library, for an active key only. */
export async function handleLibraryScript(db: Db, writeKey: string): Promise<Response> {
  if (!(await authenticateWriteKey(db, writeKey))) return unknownKey();
  const files = libraryFiles();
  return new Response(fs.readFileSync(path.join(/*turbopackIgnore: true*/ files.dir, files.standalone)), {
    headers: { ...JS_HEADERS, "Cache-Control": "public, max-age=300" },
  });
}

/** GET /analytics-next/bundles/{file}: a part the library loads on demand (names carry their content hash). */
export function handleLibraryBundle(file: string): Response {
  const files = libraryFiles();
  if (!files.bundles.has(file)) {
    return ingestError(404, "not_found", `There is no analytics.js bundle named "${file}".`, { cors: true });
  }
  const type = file.endsWith(".map") ? "application/json" : JS_HEADERS["Content-Type"];
  return new Response(fs.readFileSync(path.join(/*turbopackIgnore: true*/ files.dir, file)), {
    headers: { ...JS_HEADERS, "Content-Type": type, "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
