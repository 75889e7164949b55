"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  { href: "/admin/alerts", label: "Rules", exact: true },
  { href: "/admin/alerts/destinations", label: "Slack & webhooks", exact: false },
  { href: "/admin/alerts/email", label: "Email & digests", exact: false },
] as const;

/** The alert admin's own sections, under the admin tabs. */
export function AlertsSubnav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Alert settings" className="mb-5 overflow-x-auto">
      <ul className="inline-flex gap-1 rounded-lg bg-slate-100 p-1">
        {SECTIONS.map((s) => {
          const active = s.exact ? pathname === s.href : pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={active ? "page" : undefined}
                className={`block whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-white text-slate-900 shadow-sm" : "text-slate-600 hover:text-slate-900"}`}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
