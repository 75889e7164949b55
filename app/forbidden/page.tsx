import Link from "next/link";
import { connection } from "next/server";
import { isRole, ROLE_LABELS } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "No access" };

/** Where requirePageUser sends a signed-in user whose role is too low for the page. */
export default async function ForbiddenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const user = await requirePageUser("/forbidden");
  const { role } = await searchParams;
  const needed = isRole(role) ? ROLE_LABELS[role] : null;
  return (
    <div className="mx-auto max-w-lg rounded-2xl border border-slate-200 bg-white px-6 py-12 text-center shadow-sm">
      <span aria-hidden="true" className="mx-auto grid size-12 place-items-center rounded-full bg-amber-50 text-amber-600 ring-1 ring-amber-200">
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
          <rect x="5" y="11" width="14" height="10" rx="2" />
          <path d="M8 11V7a4 4 0 118 0v4" />
        </svg>
      </span>
      <h1 className="mt-4 text-xl font-semibold text-slate-900">You don&apos;t have access to that page</h1>
      <p className="mt-2 text-sm text-slate-500">
        {needed ? <>It needs the {needed} role; </> : null}
        you are signed in as {user.name} with the {ROLE_LABELS[user.role]} role. If you need access, ask an administrator.
      </p>
      <Link href="/" className="mt-6 inline-flex rounded-lg bg-blue-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-blue-700">
        Back to the overview
      </Link>
    </div>
  );
}
