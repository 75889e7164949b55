import "server-only";
import { log } from "@/lib/log";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { getDb } from "@/db";
import { REQUEST_PATH_HEADER, roleForRoute, safeReturnPath } from "../access";
import { checkOrigin } from "../origin-policy";
import { hasRole, ROLES, type Role } from "../roles";
import { getAuth } from "./auth";
import { serverAuthConfig } from "./auth-config";
import { originFacts } from "@/lib/http/server/edge";
import { apiError } from "@/lib/http/server/http";
import { countUsers } from "./users";

/**
 * Who may do what, enforced in ONE place per layer: pages call `requirePageUser` (and the
 * root layout calls it for every page from the path rules in lib/auth/access.ts), route handlers
 * call `requireApiUser`. `currentUser` is the single place a session becomes a user.
 */
export { ROLES, hasRole, type Role };

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

const sessionUserSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  accountManagerName: z.string().nullish(),
  deactivatedAt: z.coerce.date().nullish(),
});

/**
 * The signed-in user, from the session cookie checked against the sessions table on every
 * request (so a revoked session or a deactivated user is out at once); null when signed out.
 * Cached per request: the root layout, the page and its components share one lookup.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await (await getAuth()).api.getSession({ headers: await headers() });
  if (!session) return null;
  const parsed = sessionUserSchema.safeParse(session.user);
  if (!parsed.success) {
    log.error("a session user has an invalid shape; treated as signed out", { component: "auth", userId: session.user.id, problem: parsed.error.message });
    return null;
  }
  const user = parsed.data;
  if (user.deactivatedAt) return null;
  return { id: user.id, name: user.name, email: user.email, role: user.role, accountManagerName: user.accountManagerName ?? null };
});

/** Where the signed-out go: the first-run setup while no user exists, else sign-in (and back). */
async function signInLocation(): Promise<string> {
  if ((await countUsers(await getDb())) === 0) return "/setup";
  const here = safeReturnPath((await headers()).get(REQUEST_PATH_HEADER));
  return here === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`;
}

/** For the root layout's frame: sends the signed-out to sign-in and the under-privileged to a 403 page. */
export async function requirePageRole(minimum: Role): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(await signInLocation());
  if (!hasRole(user, minimum)) redirect(`/forbidden?role=${minimum}`);
  return user;
}

/**
 * For pages and layouts: the user, if lib/auth/access.ts lets them read `route` (the page's own
 * route, "*" for a dynamic segment: "/accounts/*"; test/access-decides.test.ts checks each
 * page names its own). Sends the signed-out to sign-in and the under-privileged to a 403 page.
 */
export async function requirePageUser(route: `/${string}`): Promise<SessionUser> {
  return requirePageRole(roleForRoute(route, "GET"));
}

/**
 * For route handlers: the user, or the 401/403 response to return as it is, with the role
 * lib/auth/access.ts gives the request's path and method. Call it first, before reading
 * parameters or the body: a signed-out caller learns nothing about them.
 *
 * Our pages only ever call the API from their own origin. A request a browser says comes from
 * another site (Sec-Fetch-Site), or whose Origin is not one the origin policy trusts
 * (lib/auth/origin-policy.ts: AUTH_URL and AUTH_TRUSTED_ORIGINS, or the demo's own address), is
 * refused whatever its cookie, even from a sibling subdomain that SameSite cookies let through.
 */
export async function requireApiUser(request: Request): Promise<SessionUser | Response> {
  const origin = checkOrigin(serverAuthConfig().originPolicy, originFacts(await headers()));
  if (!origin.ok) return apiError(403, origin.code, origin.message);
  const minimum = roleForRoute(new URL(request.url).pathname, request.method);
  const user = await currentUser();
  if (!user) return apiError(401, "unauthenticated", "Sign in to use this API.");
  if (!hasRole(user, minimum)) return apiError(403, "forbidden", `This needs the ${minimum} role.`);
  return user;
}
