import type { Role } from "../auth/roles";

/**
 * The demo's users, one per role. DEMO ONLY: their passwords are public (printed in the
 * README); they are created only together with the demo company, never in a real install.
 */
export interface DemoUser {
  name: string;
  email: string;
  password: string;
  role: Role;
  accountManagerName: string | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { name: "Priya Shah", email: "admin@example.com", password: "demo-admin-password", role: "admin", accountManagerName: null },
  // Alice Moreau is one of the demo account managers: her "my accounts" is her own book.
  { name: "Alice Moreau", email: "manager@example.com", password: "demo-manager-password", role: "manager", accountManagerName: "Alice Moreau" },
  { name: "Victor Lang", email: "viewer@example.com", password: "demo-viewer-password", role: "viewer", accountManagerName: null },
];

export function demoUser(role: Role): DemoUser {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`No demo user with role ${role}`);
  return user;
}
