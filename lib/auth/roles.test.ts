import { describe, expect, it } from "vitest";
import { hasRole, isRole, ROLES } from "./roles";

describe("roles", () => {
  it("are ordered viewer < manager < admin", () => {
    expect(ROLES).toEqual(["viewer", "manager", "admin"]);
  });

  it.each([
    ["viewer", "viewer", true],
    ["viewer", "manager", false],
    ["viewer", "admin", false],
    ["manager", "viewer", true],
    ["manager", "manager", true],
    ["manager", "admin", false],
    ["admin", "viewer", true],
    ["admin", "manager", true],
    ["admin", "admin", true],
  ] as const)("a %s has at least %s: %s", (role, minimum, expected) => {
    expect(hasRole({ role }, minimum)).toBe(expected);
  });

  it("recognises only the three role names", () => {
    expect(ROLES.every(isRole)).toBe(true);
    for (const v of ["Admin", "root", "", null, undefined, 1]) expect(isRole(v)).toBe(false);
  });
});
