import { test as base, expect } from "@playwright/test";

/**
 * Every spec imports `test` and `expect` from here, never from @playwright/test directly,
 * so that signing in (per role) lives in one place. Choose the role with
 * `test.use({ role: "manager" })`; the default is an administrator.
 */
export type E2eRole = "admin" | "manager" | "viewer";

export const test = base.extend<{ role: E2eRole }>({
  role: ["admin", { option: true }],
});

export { expect };
