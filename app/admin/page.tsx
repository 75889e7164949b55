import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/card";
import { ADMIN_SECTIONS } from "@/components/admin-nav";

export const metadata = { title: "Admin" };

export default function AdminPage() {
  return (
    <>
      <PageHeader title="Admin" subtitle="Configure the score, the data coming in and who can see it." />
      {ADMIN_SECTIONS.length === 0 ? (
        <EmptyState title="No admin sections yet">Weights, users, write keys and imports appear here.</EmptyState>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {ADMIN_SECTIONS.map((s) => (
            <li key={s.href}>
              <Link href={s.href} className="block h-full rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-blue-300">
                <h2 className="font-semibold text-slate-900">{s.label}</h2>
                <p className="mt-1 text-sm text-slate-500">{s.description}</p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
