import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import type { Role } from "../roles";
import { accessForPath, DEFAULT_ACCESS, isAuthPage, REQUEST_PATH_HEADER, safeReturnPath } from "../access";
import { currentUser, requirePageRole, type SessionUser } from "./authz";
import { countUsers } from "./users";

export type PageFrame = { kind: "auth" } | { kind: "app"; user: SessionUser };

/**
 * The server-side check every page passes, run by the root layout from the path rules in
 * lib/auth/access.ts. It runs before anything streams, so a refusal is a real 307 redirect (a
 * check inside a page can only redirect through a meta tag once the loading state streamed).
 * Pages still call requirePageUser themselves (a layout does not run again on a client-side
 * navigation); this makes a forgotten call harmless.
 */
export async function resolvePageFrame(): Promise<PageFrame> {
  const requested = (await headers()).get(REQUEST_PATH_HEADER);
  // Without the proxy's header (it always sets it) assume the strictest page rule.
  const url = requested ? new URL(requested, "http://local") : null;
  const pathname = url?.pathname ?? null;

  if (pathname && isAuthPage(pathname)) {
    const hasUsers = (await countUsers(await getDb())) > 0;
    if (pathname === "/sign-in" && !hasUsers) redirect("/setup");
    const user = await currentUser();
    if (user) redirect(safeReturnPath(url?.searchParams.get("next")));
    if (pathname === "/setup" && hasUsers) redirect("/sign-in");
    return { kind: "auth" };
  }

  const access = pathname ? accessForPath(pathname) : DEFAULT_ACCESS;
  // Public pages (an email's unsubscribe link) render on their own, signed in or not.
  if (access.kind === "public") return { kind: "auth" };
  // Pages outside the signed-in rules (e.g. a not-found page under /v1) still need a user.
  const minimum: Role = access.kind === "signed-in" ? access.read : "viewer";
  return { kind: "app", user: await requirePageRole(minimum) };
}
