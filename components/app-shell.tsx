"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState, type ReactNode } from "react";
import { isAuthPage } from "@/lib/auth/access";
import { isActive, navItemsFor } from "./nav-items";
import { NotificationsMenu } from "./notifications/notifications-menu";
import { UserMenu, type ShellUser } from "./user-menu";

function Icon({ d }: { d: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5 shrink-0" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
      <span aria-hidden="true" className="grid size-8 place-items-center rounded-lg bg-blue-600 text-sm font-bold text-white">
        CES
      </span>
      <span>Engagement</span>
    </Link>
  );
}

function NavLinks({ user, onNavigate }: { user: ShellUser; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {navItemsFor(user.role).map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${
                active ? "bg-blue-50 text-blue-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
              }`}
            >
              <Icon d={item.icon} />
              {item.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** The frame of every page: a sidebar on wide screens, a top bar with a menu on phones. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // A client-side redirect to sign-in (say, a session that ended) keeps this layout: show the
  // sign-in page on its own rather than inside the previous user's navigation.
  if (isAuthPage(pathname)) return children;
  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_1fr]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:m-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <aside className="hidden border-r border-slate-200 bg-white lg:block">
        {/* The sidebar column spans the page; its content stays in view while the page scrolls. */}
        <div className="sticky top-0 flex h-dvh flex-col gap-6 px-4 py-5">
          <div className="flex items-center justify-between gap-2">
            <Brand />
            <NotificationsMenu placement="sidebar" />
          </div>
          <nav aria-label="Main" className="flex-1 overflow-y-auto">
            <NavLinks user={user} />
          </nav>
          <UserMenu user={user} />
        </div>
      </aside>

      <header className="sticky top-0 z-30 flex items-center justify-between border-b border-slate-200 bg-white px-4 py-3 lg:hidden">
        <Brand />
        <div className="flex items-center gap-1">
          <NotificationsMenu placement="header" />
          <button
            type="button"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
            aria-controls="mobile-nav"
            className="rounded-md p-2 text-slate-700 hover:bg-slate-100"
          >
            <span className="sr-only">{open ? "Close menu" : "Open menu"}</span>
            <Icon d={open ? "M6 6l12 12M18 6L6 18" : "M4 7h16M4 12h16M4 17h16"} />
          </button>
        </div>
      </header>
      {open ? (
        <nav id="mobile-nav" aria-label="Main" className="border-b border-slate-200 bg-white px-4 py-3 lg:hidden">
          <NavLinks user={user} onNavigate={() => setOpen(false)} />
          <div className="mt-3">
            <UserMenu user={user} onNavigate={() => setOpen(false)} />
          </div>
        </nav>
      ) : null}

      <main id="main" className="min-w-0 px-4 py-6 sm:px-6 lg:px-8">
        <div className="mx-auto max-w-7xl">{children}</div>
      </main>
    </div>
  );
}
