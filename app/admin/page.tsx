import Link from "next/link";
import { connection } from "next/server";
import { ADMIN_SECTIONS } from "@/components/admin-nav";
import { PageHeader } from "@/components/card";
import { SetupChecklist } from "@/components/setup/setup-checklist";
import { getDb } from "@/db";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getSetupChecklist } from "@/lib/setup/server/setup";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await connection();
  await requirePageUser("/admin");
  const checklist = await getSetupChecklist(await getDb());
  const sections = (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Admin sections">
      {ADMIN_SECTIONS.map((s) => (
        <li key={s.href}>
          <Link href={s.href} className="block h-full rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-blue-300">
            <h2 className="font-semibold text-slate-900">{s.label}</h2>
            <p className="mt-1 text-sm text-slate-500">{s.description}</p>
          </Link>
        </li>
      ))}
    </ul>
  );
  return (
    <>
      <PageHeader title="Admin" subtitle="Configure the score, the data coming in and who can see it." />
      {/* Until setup is complete the checklist leads; afterwards it stays below the sections. */}
      {checklist.complete ? (
        <>
          {sections}
          <div className="mt-6">
            <SetupChecklist checklist={checklist} />
          </div>
        </>
      ) : (
        <>
          <SetupChecklist checklist={checklist} />
          <div className="mt-6">{sections}</div>
        </>
      )}
    </>
  );
}
