import { describe, expect, it } from "vitest";
import { bookSchema, createUserSchema, generatePassword, nameSchema, PASSWORD_RULES, updateUserSchema } from "./users-validation";

describe("user input", () => {
  const valid = { name: "  Ann Admin ", email: " Ann@Example.COM ", role: "manager", accountManagerName: "", password: "a-good-password" };

  it("trims names, lower-cases emails and turns an empty book into none", () => {
    expect(createUserSchema.parse(valid)).toEqual({
      name: "Ann Admin",
      email: "ann@example.com",
      role: "manager",
      accountManagerName: null,
      password: "a-good-password",
    });
  });

  it("keeps hostile names verbatim (escaping is the renderer's job)", () => {
    const name = `<script>alert(1)</script> O'Brien"; DROP TABLE users;--`;
    expect(createUserSchema.parse({ ...valid, name }).name).toBe(name);
  });

  it.each([
    ["name", "   ", "Enter a name"],
    ["email", "not-an-email", "Enter a valid email address"],
    ["role", "root", "Choose viewer, manager or admin"],
    ["password", "short", `Use at least ${PASSWORD_RULES.min} characters`],
  ] as const)("rejects a bad %s with a message", (field, value, message) => {
    const result = createUserSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual([field]);
    expect(result.error?.issues[0]?.message).toBe(message);
  });

  it("needs something to change", () => {
    expect(updateUserSchema.safeParse({}).success).toBe(false);
    expect(updateUserSchema.parse({ active: false })).toEqual({ active: false });
    expect(updateUserSchema.parse({ accountManagerName: "" })).toEqual({ accountManagerName: null });
  });

  it("generates strong passwords", () => {
    const a = generatePassword();
    expect(a).toHaveLength(16);
    expect(a).toMatch(/^[A-Za-z0-9]+$/);
    expect(generatePassword()).not.toBe(a);
  });

  it("stores names and books without control characters, escape sequences or bidi overrides", () => {
    expect(nameSchema.parse("Ann\u0000 \u001b[31mLee\u001b[0m\u202E")).toBe("Ann Lee");
    expect(nameSchema.safeParse("\u0000\u0007").success).toBe(false);
    expect(bookSchema.parse("Alice\tMoreau\u2066")).toBe("Alice Moreau");
    expect(nameSchema.parse("Zoë Ångström 李")).toBe("Zoë Ångström 李");
  });
});
