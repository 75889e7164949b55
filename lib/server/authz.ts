import "server-only";
import { redirect } from "next/navigation";
import { apiError } from "./http";

/**
 * Who may do what, enforced in ONE place per layer: pages call `requirePageUser`, route
 * handlers call `requireApiUser`. Sign-in (issue #3) replaces `currentUser`; nothing else
 * needs to change.
 */
export const ROLES = ["viewer", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  /**
   * The account-manager name (accounts.account_manager) whose book this user works, so
   * "my accounts" can default to it; null for users without a book.
   */
  accountManagerName: string | null;
}

export function hasRole(user: Pick<SessionUser, "role">, minimum: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(minimum);
}

/** The signed-in user. Until sign-in exists every visitor acts as the local administrator. */
export async function currentUser(): Promise<SessionUser | null> {
  return { id: "local-admin", name: "Local administrator", email: "admin@localhost", role: "admin", accountManagerName: null };
}

/** For pages: sends the signed-out to sign-in and the under-privileged to a 403 page. */
export async function requirePageUser(minimum: Role = "viewer"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  if (!hasRole(user, minimum)) redirect("/forbidden");
  return user;
}

/** For route handlers: the user, or the 401/403 response to return as it is. */
export async function requireApiUser(minimum: Role = "viewer"): Promise<SessionUser | Response> {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to use this API.");
  if (!hasRole(user, minimum)) return apiError(403, "forbidden", `This needs the ${minimum} role.`);
  return user;
}
