import { hasRole, type Role } from "./roles";

/**
 * Who may reach which path, derived from the path's prefix. One table serves the proxy (an
 * optimistic redirect), the root layout (the server-side check for every page) and the test
 * that walks every route. A route no rule matches is *unclassified*: the route test fails on
 * it, so whoever adds a route must say here who may use it.
 */
export type RouteAccess =
  /** Anyone, signed in or not (sign-in, first-run setup, health, better-auth's endpoints). */
  | { kind: "public" }
  /** Ingestion: authorised by a write key only; a session cookie never authorises it. */
  | { kind: "write-key" }
  /** The read API for CRMs and BI tools: a read API token only, never a session or a write key. */
  | { kind: "read-token" }
  /** Prometheus metrics: authorised by METRICS_TOKEN only; a session never authorises them. */
  | { kind: "metrics-token" }
  /** Signed-in users: `read` for pages and GET/HEAD, `write` for every other method. */
  | { kind: "signed-in"; read: Role; write: Role };

export interface RouteRule {
  /**
   * A path prefix matched on whole segments: "/admin" matches /admin and /admin/x, not /administer.
   * A "*" segment matches any one segment, e.g. the account id of /api/v1/accounts/{id}/score.
   */
  prefix: string;
  /** When true, only the prefix itself matches (used for "/"). */
  exact?: boolean;
  access: RouteAccess;
}

const PUBLIC: RouteAccess = { kind: "public" };
const WRITE_KEY: RouteAccess = { kind: "write-key" };
const READ_TOKEN: RouteAccess = { kind: "read-token" };
/** Tasks are worked by the people who own a book: managers (and admins). */
const MANAGERS: RouteAccess = { kind: "signed-in", read: "manager", write: "manager" };
/** Read views: every signed-in user reads; changing something needs at least a manager. */
const READ_VIEW: RouteAccess = { kind: "signed-in", read: "viewer", write: "manager" };
const ADMIN_ONLY: RouteAccess = { kind: "signed-in", read: "admin", write: "admin" };
/** The user's own profile and password: every role may read and change its own. */
const OWN_PROFILE: RouteAccess = { kind: "signed-in", read: "viewer", write: "viewer" };

export const ROUTE_RULES: readonly RouteRule[] = [
  // Public: signing in and the first-run setup.
  { prefix: "/sign-in", access: PUBLIC },
  { prefix: "/setup", access: PUBLIC },
  { prefix: "/api/setup", access: PUBLIC },
  { prefix: "/api/auth", access: PUBLIC },
  { prefix: "/api/health", access: PUBLIC },
  // Ingestion endpoints use write keys only.
  { prefix: "/v1", access: WRITE_KEY },
  { prefix: "/api/v1", access: WRITE_KEY },
  // The read API (scores for CRMs and BI tools) uses read API tokens only.
  { prefix: "/api/v1/accounts/*/score", access: READ_TOKEN },
  { prefix: "/api/v1/scores", access: READ_TOKEN },
  // Liveness and readiness are public; /metrics needs the scraper's token.
  { prefix: "/metrics", access: { kind: "metrics-token" } },
  // The OpenAPI document of the native API is public documentation.
  { prefix: "/api/v1/openapi.json", access: PUBLIC },
  // The Segment-compatible handler that /v1/* is rewritten to.
  { prefix: "/api/segment", access: WRITE_KEY },
  // analytics.js for the snippet: the library under its write key, and its parts, which any
  // page may load (they are the published @segment/analytics-next files, named by content hash).
  { prefix: "/analytics.js", access: WRITE_KEY },
  { prefix: "/api/segment/library", access: WRITE_KEY },
  { prefix: "/analytics-next", access: PUBLIC },
  { prefix: "/api/segment/bundles", access: PUBLIC },
  // Email unsubscribe links work without signing in (the token in the link is the credential).
  { prefix: "/unsubscribe", access: PUBLIC },
  { prefix: "/api/unsubscribe", access: PUBLIC },
  // Administration: weights, settings, users, write keys, imports, audit log, alerts, API tokens.
  { prefix: "/admin", access: ADMIN_ONLY },
  { prefix: "/api/admin", access: ADMIN_ONLY },
  // Read views and the APIs behind them.
  { prefix: "/", exact: true, access: READ_VIEW },
  { prefix: "/api/overview", access: READ_VIEW },
  { prefix: "/accounts", access: READ_VIEW },
  { prefix: "/api/accounts", access: READ_VIEW },
  { prefix: "/segments", access: READ_VIEW },
  { prefix: "/api/segments", access: READ_VIEW },
  { prefix: "/trends", access: READ_VIEW },
  { prefix: "/api/trends", access: READ_VIEW },
  { prefix: "/api/change-markers", access: READ_VIEW },
  // Does the score predict renewal? Everyone reads; loading suggested weights happens in /admin.
  { prefix: "/insights", access: READ_VIEW },
  { prefix: "/api/insights", access: READ_VIEW },
  { prefix: "/forbidden", access: READ_VIEW },
  // Tasks from alerts: "My tasks" beside the call lists.
  { prefix: "/tasks", access: MANAGERS },
  { prefix: "/api/tasks", access: MANAGERS },
  // The signed-in user's own account, notifications and email preferences.
  { prefix: "/account", access: OWN_PROFILE },
  { prefix: "/api/notifications", access: OWN_PROFILE },
];

/** Pages that belong to signing in; they render without the app's navigation. */
export const AUTH_PAGES = ["/sign-in", "/setup"] as const;

function matches(rule: RouteRule, pathname: string): boolean {
  if (rule.exact || rule.prefix === "/") return pathname === rule.prefix;
  if (!rule.prefix.includes("*")) return pathname === rule.prefix || pathname.startsWith(`${rule.prefix}/`);
  const want = rule.prefix.split("/");
  const have = pathname.split("/");
  return have.length >= want.length && want.every((segment, i) => segment === "*" ? (have[i] ?? "") !== "" : segment === have[i]);
}

/** The rule with the longest matching prefix, or null when the path is unclassified. */
export function matchRouteRule(pathname: string): RouteRule | null {
  let best: RouteRule | null = null;
  for (const rule of ROUTE_RULES) {
    if (matches(rule, pathname) && (!best || rule.prefix.length > best.prefix.length)) best = rule;
  }
  return best;
}

/** Unclassified paths (including unknown URLs) need a signed-in viewer: never less. */
export const DEFAULT_ACCESS: RouteAccess = READ_VIEW;

export function accessForPath(pathname: string): RouteAccess {
  return matchRouteRule(pathname)?.access ?? DEFAULT_ACCESS;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The role a request needs, or null for public, write-key and read-token paths. */
export function requiredRole(access: RouteAccess, method: string): Role | null {
  if (access.kind !== "signed-in") return null;
  return SAFE_METHODS.has(method.toUpperCase()) ? access.read : access.write;
}

/**
 * The role the table gives `pathname` for `method`: the table decides, route handlers
 * (requireApiUser) and pages (requirePageUser) only ask it. A path the table does not give to
 * signed-in users is a programming error there (such a route authorises with a write key, a
 * read token or the metrics token instead).
 */
export function roleForRoute(pathname: string, method: string): Role {
  const access = accessForPath(pathname);
  const role = requiredRole(access, method);
  if (role === null) throw new Error(`${pathname} is a ${access.kind} route in lib/auth/access.ts, not a signed-in one`);
  return role;
}

/**
 * Whether a user may use `path` with `method`, by the table: what a page offers (an edit
 * button, a link into the admin) follows the same rule as the route it leads to.
 */
export function userMay(user: { role: Role }, method: string, path: string): boolean {
  const role = requiredRole(accessForPath(path), method);
  return role !== null && hasRole(user, role);
}

export function isAuthPage(pathname: string): boolean {
  return (AUTH_PAGES as readonly string[]).includes(pathname);
}

/**
 * Where to return after signing in: only a local path ("/x", never "//host" or "/\host"),
 * never back to the auth pages themselves; anything else becomes "/".
 */
export function safeReturnPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f]/.test(value)) return "/";
  const pathname = value.split(/[?#]/, 1)[0] ?? "/";
  if (isAuthPage(pathname)) return "/";
  return value;
}

/** Request header the proxy sets to the path and query being requested, for "back to where you were". */
export const REQUEST_PATH_HEADER = "x-ces-path";
