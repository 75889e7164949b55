"use client";

import Link from "next/link";
import { useState } from "react";
import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { reloadAt, signOut } from "./auth/auth-api";

export interface ShellUser {
  name: string;
  email: string;
  role: Role;
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "");
  return letters.toUpperCase() || "?";
}

export function SignOutButton({ className = "" }: { className?: string }) {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setFailed(false);
          const result = await signOut();
          if (result.ok) {
            reloadAt("/sign-in");
            return;
          }
          setFailed(true);
          setPending(false);
        }}
        className={className}
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      {failed ? (
        <p role="alert" className="px-3 text-xs text-red-700">
          Could not sign out. Try again.
        </p>
      ) : null}
    </>
  );
}

/** Who is signed in, with their account settings and sign-out. */
export function UserMenu({ user, onNavigate }: { user: ShellUser; onNavigate?: () => void }) {
  return (
    <div className="border-t border-slate-200 pt-4" data-testid="user-menu">
      <div className="flex items-center gap-3 px-1">
        <span aria-hidden="true" className="grid size-9 shrink-0 place-items-center rounded-full bg-slate-100 text-sm font-semibold text-slate-700">
          {initials(user.name)}
        </span>
        <div className="min-w-0">
          <p className="truncate text-sm font-medium text-slate-900" data-testid="signed-in-name">
            {user.name}
          </p>
          <p className="truncate text-xs text-slate-500">
            {ROLE_LABELS[user.role]} · {user.email}
          </p>
        </div>
      </div>
      <div className="mt-3 flex flex-col gap-1">
        <Link
          href="/account"
          onClick={onNavigate}
          className="rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          Your account
        </Link>
        <SignOutButton className="rounded-md px-3 py-2 text-left text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-400" />
      </div>
    </div>
  );
}
