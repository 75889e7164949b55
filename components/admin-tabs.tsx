"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { ADMIN_SECTIONS } from "./admin-nav";

export function AdminTabs() {
  const pathname = usePathname();
  if (ADMIN_SECTIONS.length === 0) return null;
  return (
    <nav aria-label="Admin sections" className="mb-6 overflow-x-auto relative border-b border-slate-200">
      <ul className="flex gap-1">
        {ADMIN_SECTIONS.map((s) => {
          const active = pathname === s.href || pathname.startsWith(`${s.href}/`);
          return (
            <li key={s.href}>
              <Link
                href={s.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium ${
                  active ? "border-blue-600 text-blue-700" : "border-transparent text-slate-600 hover:text-slate-900"
                }`}
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
