import { describe, expect, it } from "vitest";
import { routeGroupOf } from "./route-groups";

describe("routeGroupOf", () => {
  it("groups paths the way an operator reads them", () => {
    expect(routeGroupOf("/v1/batch")).toBe("ingest");
    expect(routeGroupOf("/api/v1/events?x=1")).toBe("ingest");
    expect(routeGroupOf("/api/v1/openapi.json")).toBe("api");
    expect(routeGroupOf("/api/health/live")).toBe("health");
    expect(routeGroupOf("/metrics")).toBe("metrics");
    expect(routeGroupOf("/api/admin/retention")).toBe("api-admin");
    expect(routeGroupOf("/api/accounts/12")).toBe("api");
    expect(routeGroupOf("/api/auth/sign-in/email")).toBe("auth");
    expect(routeGroupOf("/_next/static/chunks/a.js")).toBe("static");
    expect(routeGroupOf("/accounts/12")).toBe("page");
    expect(routeGroupOf("/v1x")).toBe("page");
  });
});
