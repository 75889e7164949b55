import fs from "node:fs";
import path from "node:path";

/**
 * Every route of the app, found in the app/ directory the way Next.js maps it: page files
 * are pages, route files are route handlers (with the HTTP methods they export). Routes that
 * other features add later are picked up without touching this file.
 */
export interface DiscoveredRoute {
  kind: "page" | "api";
  /** The pattern, e.g. "/admin/users/[id]". */
  pattern: string;
  /** The methods a route handler exports; ["GET"] for pages. */
  methods: string[];
  file: string;
}

const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx)$/;
const ROUTE_FILE = /^route\.(ts|js)$/;
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function exportedMethods(source: string): string[] {
  return HTTP_METHODS.filter((m) =>
    new RegExp(`export\\s+(async\\s+)?function\\s+${m}\\b|export\\s+(const|let|var)\\s+${m}\\b|export\\s*\\{[^}]*\\b${m}\\b[^}]*\\}`).test(source),
  );
}

export function discoverRoutes(appDir = path.resolve("app")): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        const name = entry.name;
        if (name.startsWith("_") || name.startsWith("(.") || name.startsWith("(..")) continue; // private folders, interceptors
        const isGroup = name.startsWith("(") && name.endsWith(")");
        const isSlot = name.startsWith("@");
        walk(full, isGroup || isSlot ? segments : [...segments, name]);
      } else if (PAGE_FILE.test(entry.name) || ROUTE_FILE.test(entry.name)) {
        const pattern = `/${segments.join("/")}`;
        const isPage = PAGE_FILE.test(entry.name);
        routes.push({
          kind: isPage ? "page" : "api",
          pattern,
          methods: isPage ? ["GET"] : exportedMethods(fs.readFileSync(full, "utf8")),
          file: path.relative(process.cwd(), full),
        });
      }
    }
  };
  walk(appDir, []);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern) || a.kind.localeCompare(b.kind));
}

/** Fills each dynamic segment from `values` (keyed by the segment as written, e.g. "[id]"). */
export function fillPattern(pattern: string, values: (segment: string) => string | undefined): string | null {
  const parts: string[] = [];
  for (const part of pattern.split("/")) {
    if (!part.startsWith("[")) {
      parts.push(part);
      continue;
    }
    const value = values(part);
    if (value === undefined) return null;
    parts.push(encodeURIComponent(value));
  }
  return parts.join("/") || "/";
}
