import type { APIRequestContext } from "@playwright/test";
import type { Role } from "@/lib/auth/roles";
import { expect } from "./fixtures";

/** A user of the test's own (unique email), so specs that change users never touch the demo users. */
export interface TestUser {
  id: string;
  name: string;
  email: string;
  password: string;
}

let counter = 0;

export function uniqueEmail(label: string): string {
  counter++;
  return `${label}-${Date.now().toString(36)}-${counter}@e2e.example.com`;
}

/** Creates a user through the admin API (the request context must be an admin's). */
export async function createTestUser(adminRequest: APIRequestContext, role: Role, name = `E2E ${role}`): Promise<TestUser> {
  const user = { name, email: uniqueEmail(role), password: "e2e-password-123", role, accountManagerName: null };
  const response = await adminRequest.post("/api/admin/users", { data: user });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { user: { id: string } };
  return { id: body.user.id, name: user.name, email: user.email, password: user.password };
}
