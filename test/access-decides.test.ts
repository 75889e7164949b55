import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { roleForRoute, userMay } from "@/lib/auth/access";

/**
 * lib/auth/access.ts is the one table of who may call what (issue 16): route handlers and pages ask
 * it (requireApiUser(request), requirePageUser(ownRoute), userMay for what a page offers)
 * instead of stating a role of their own beside it.
 */
const APP = path.join(process.cwd(), "app");

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The route a page or layout file serves: route groups dropped, dynamic segments as "*". */
function routeOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => (/^\[.*\]$/.test(segment) ? "*" : segment));
  return `/${segments.join("/")}`;
}

const files = sourcesUnder(APP).map((file) => ({ file, rel: path.relative(process.cwd(), file), text: fs.readFileSync(file, "utf8") }));

describe("handlers and pages ask the access table", () => {
  it("no handler or page states a role of its own", () => {
    const offenders = files.filter(({ text }) => /require(Api|Page)User\(\s*["'](viewer|manager|admin)["']/.test(text) || /\bhasRole\(/.test(text)).map(({ rel }) => rel);
    expect(offenders).toEqual([]);
  });

  it("every route handler that needs a user passes its request (the path and method decide)", () => {
    const calls = files.flatMap(({ rel, text }) => [...text.matchAll(/requireApiUser\(([^)]*)\)/g)].map((m) => ({ rel, arg: m[1] })));
    expect(calls.length).toBeGreaterThan(50);
    expect(calls.filter(({ arg }) => arg !== "request")).toEqual([]);
  });

  it("every page and layout that needs a user names its own route", () => {
    const pages = files.filter(({ file }) => /(page|layout)\.tsx$/.test(file));
    const calls = pages.flatMap(({ file, rel, text }) => [...text.matchAll(/requirePageUser\(([^)]*)\)/g)].map((m) => ({ rel, named: m[1], own: JSON.stringify(routeOf(file)) })));
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter(({ named, own }) => named !== own)).toEqual([]);
  });

  it("every signed-in page calls requirePageUser (a layout does not run again on a client-side navigation)", () => {
    const pages = files.filter(({ file }) => file.endsWith("page.tsx"));
    const missing = pages.filter(({ file, text }) => {
      const route = routeOf(file).replace(/\*/g, "x");
      const signedIn = !["/sign-in", "/setup", "/unsubscribe"].includes(route);
      return signedIn && !text.includes("requirePageUser(");
    });
    expect(missing.map(({ rel }) => rel)).toEqual([]);
  });
});

describe("roleForRoute and userMay (hand-worked from the table)", () => {
  it("gives reads and writes their roles", () => {
    expect(roleForRoute("/accounts", "GET")).toBe("viewer");
    expect(roleForRoute("/api/change-markers", "GET")).toBe("viewer");
    expect(roleForRoute("/api/change-markers", "POST")).toBe("manager");
    expect(roleForRoute("/tasks", "GET")).toBe("manager");
    expect(roleForRoute("/admin/users/*", "GET")).toBe("admin");
    expect(roleForRoute("/api/notifications/read", "POST")).toBe("viewer");
  });

  it("refuses a path that is not a signed-in route, naming how it is authorised", () => {
    expect(() => roleForRoute("/api/v1/batch", "POST")).toThrow(/write-key/);
    expect(() => roleForRoute("/metrics", "GET")).toThrow(/metrics-token/);
  });

  it("lets a page offer only what its user may use", () => {
    const viewer = { role: "viewer" as const };
    const manager = { role: "manager" as const };
    expect(userMay(viewer, "GET", "/accounts")).toBe(true);
    expect(userMay(viewer, "POST", "/api/accounts/12/notes")).toBe(false);
    expect(userMay(manager, "POST", "/api/accounts/12/notes")).toBe(true);
    expect(userMay(manager, "GET", "/admin")).toBe(false);
    expect(userMay(manager, "POST", "/api/v1/batch")).toBe(false);
  });
});
