import { describe, expect, it } from "vitest";
import { accessForPath, isAuthPage, matchRouteRule, requiredRole, safeReturnPath } from "./access";

describe("route access rules", () => {
  it("gives the admin area to administrators only, for reading and writing", () => {
    for (const path of ["/admin", "/admin/users", "/admin/users/abc", "/admin/weights", "/admin/audit", "/api/admin/users", "/api/admin/weights"]) {
      const access = accessForPath(path);
      expect(requiredRole(access, "GET"), path).toBe("admin");
      expect(requiredRole(access, "POST"), path).toBe("admin");
    }
  });

  it("lets every signed-in user read the views, and managers change them", () => {
    for (const path of ["/", "/accounts", "/accounts/12", "/segments", "/trends", "/insights", "/api/insights/suggestion", "/api/accounts/12/notes"]) {
      const access = accessForPath(path);
      expect(requiredRole(access, "GET"), path).toBe("viewer");
      expect(requiredRole(access, "HEAD"), path).toBe("viewer");
      expect(requiredRole(access, "POST"), path).toBe("manager");
      expect(requiredRole(access, "DELETE"), path).toBe("manager");
    }
  });

  it("lets every signed-in user change their own password", () => {
    expect(requiredRole(accessForPath("/account"), "POST")).toBe("viewer");
  });

  it("keeps ingestion on write keys, never sessions", () => {
    for (const path of ["/v1/track", "/v1/batch", "/api/v1/events", "/api/v1/outcomes", "/api/v1", "/v1/projects/ces_x/settings", "/v1/m", "/analytics.js/v1/ces_x/analytics.min.js"]) {
      expect(accessForPath(path), path).toEqual({ kind: "write-key" });
    }
    expect(requiredRole(accessForPath("/v1/track"), "POST")).toBeNull();
  });

  it("keeps the read API on read tokens: an account's score and the changed scores, not the write endpoints beside them", () => {
    for (const path of ["/api/v1/accounts/acme/score", "/api/v1/accounts/[id]/score", "/api/v1/scores"]) expect(accessForPath(path), path).toEqual({ kind: "read-token" });
    expect(requiredRole(accessForPath("/api/v1/scores"), "GET")).toBeNull();
    for (const path of ["/api/v1/accounts", "/api/v1/accounts/acme", "/api/v1/accounts//score", "/api/v1/accounts/acme/scores"]) {
      expect(accessForPath(path), path).toEqual({ kind: "write-key" });
    }
  });

  it("gives tasks to managers and notifications to everyone signed in", () => {
    for (const path of ["/tasks", "/api/tasks", "/api/tasks/3/complete"]) {
      expect(requiredRole(accessForPath(path), "GET"), path).toBe("manager");
      expect(requiredRole(accessForPath(path), "POST"), path).toBe("manager");
    }
    for (const path of ["/api/notifications", "/api/notifications/read", "/api/notifications/preferences"]) {
      expect(requiredRole(accessForPath(path), "POST"), path).toBe("viewer");
    }
    expect(requiredRole(accessForPath("/admin/alerts"), "GET")).toBe("admin");
    expect(requiredRole(accessForPath("/api/admin/api-tokens"), "POST")).toBe("admin");
  });

  it("opens only sign-in, setup, health, unsubscribe links, the auth endpoints and analytics.js' published parts to everyone", () => {
    for (const path of ["/sign-in", "/setup", "/api/setup", "/api/health", "/api/auth/sign-in/email", "/unsubscribe", "/api/unsubscribe", "/analytics-next/bundles/x.bundle.1a.js", "/api/segment/bundles/x"]) {
      expect(accessForPath(path), path).toEqual({ kind: "public" });
    }
  });

  it("matches whole segments only", () => {
    expect(requiredRole(accessForPath("/administrator"), "GET")).toBe("viewer");
    expect(matchRouteRule("/administrator")).toBeNull();
    expect(matchRouteRule("/v10")).toBeNull();
    expect(matchRouteRule("/api/adminx")).toBeNull();
    expect(matchRouteRule("/sign-in-elsewhere")).toBeNull();
  });

  it("leaves unknown paths unclassified, and requires a signed-in viewer for them", () => {
    expect(matchRouteRule("/reports")).toBeNull();
    expect(matchRouteRule("/api/reports")).toBeNull();
    expect(accessForPath("/reports")).toEqual({ kind: "signed-in", read: "viewer", write: "manager" });
  });

  it("knows the auth pages", () => {
    expect(isAuthPage("/sign-in")).toBe(true);
    expect(isAuthPage("/setup")).toBe(true);
    expect(isAuthPage("/")).toBe(false);
  });
});

describe("safeReturnPath", () => {
  it("keeps local paths with their query", () => {
    expect(safeReturnPath("/admin/users")).toBe("/admin/users");
    expect(safeReturnPath("/accounts?band=low&page=2")).toBe("/accounts?band=low&page=2");
  });

  it.each([null, undefined, "", "admin", "https://evil.example.com/", "//evil.example.com", "/\\evil.example.com", "/sign-in", "/setup?x=1", "/a\nb"])(
    "turns %j into /",
    (value) => {
      expect(safeReturnPath(value)).toBe("/");
    },
  );
});
