import { test as base, expect, request as playwrightRequest, type APIRequestContext } from "@playwright/test";
import { demoUser } from "@/lib/demo/users";

/**
 * Every spec imports `test` and `expect` from here, never from @playwright/test directly,
 * so that signing in (per role) lives in one place. Choose the role with
 * `test.use({ role: "manager" })`; the default is an administrator; "signed-out" starts
 * without a session. `page`, `page.request` and `request` all act as that role. Each role
 * signs in once per worker (as its demo user, seeded by scripts/e2e-server.ts) and every
 * test of that role reuses the session.
 */
export type E2eRole = "admin" | "manager" | "viewer" | "signed-out";
export type SignedInRole = Exclude<E2eRole, "signed-out">;

type StorageState = Awaited<ReturnType<APIRequestContext["storageState"]>>;

export const E2E_BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`;

/** Signs a demo user in over the API and returns the browser state holding its session cookie. */
export async function signInState(email: string, password: string): Promise<StorageState> {
  const context = await playwrightRequest.newContext({ baseURL: E2E_BASE_URL });
  try {
    const response = await context.post("/api/auth/sign-in/email", { data: { email, password }, headers: { origin: E2E_BASE_URL } });
    if (!response.ok()) throw new Error(`Sign-in as ${email} failed: HTTP ${response.status()} ${await response.text()}`);
    return await context.storageState();
  } finally {
    await context.dispose();
  }
}

export const test = base.extend<{ role: E2eRole }, { roleStates: (role: SignedInRole) => Promise<StorageState> }>({
  role: ["admin", { option: true }],
  roleStates: [
    async ({}, provide) => {
      const states = new Map<SignedInRole, Promise<StorageState>>();
      await provide((role) => {
        let state = states.get(role);
        if (!state) {
          const user = demoUser(role);
          state = signInState(user.email, user.password);
          states.set(role, state);
        }
        return state;
      });
    },
    { scope: "worker" },
  ],
  storageState: async ({ role, roleStates }, provide) => {
    await provide(role === "signed-out" ? { cookies: [], origins: [] } : await roleStates(role));
  },
  // The standalone API client acts as the same role as the page.
  request: async ({ playwright, baseURL, storageState }, provide) => {
    const context = await playwright.request.newContext({ baseURL, storageState });
    await provide(context);
    await context.dispose();
  },
});

export { expect };
