import Link from "next/link";
import { connection } from "next/server";
import { Card, EmptyState, PageHeader } from "@/components/card";
import { buttonClass } from "@/components/button-styles";
import { Stat } from "@/components/stat";
import { RoleBadge, StatusBadge } from "@/components/users/role-badge";
import { getDb } from "@/db";
import { formatCount, formatDate } from "@/lib/format";
import { requirePageUser } from "@/lib/auth/server/authz";
import { listUsers } from "@/lib/auth/server/users";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  await connection();
  const me = await requirePageUser("/admin/users");
  const users = await listUsers(await getDb());
  const active = users.filter((u) => u.active);
  const count = (role: string) => active.filter((u) => u.role === role).length;

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Who can sign in, with which role, and whose book of accounts they work."
        actions={
          <Link href="/admin/users/new" className={buttonClass("primary")}>
            <span aria-hidden="true" className="text-base leading-none">+</span>
            Add user
          </Link>
        }
      />
      <dl className="mb-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Active users" value={formatCount(active.length)} hint={`${formatCount(users.length - active.length)} deactivated`} />
        <Stat label="Admins" value={formatCount(count("admin"))} />
        <Stat label="Managers" value={formatCount(count("manager"))} />
        <Stat label="Viewers" value={formatCount(count("viewer"))} />
      </dl>
      {users.length === 0 ? (
        <EmptyState title="No users yet">Add the people who should see engagement scores.</EmptyState>
      ) : (
        <Card title="Team" description={`${formatCount(users.length)} ${users.length === 1 ? "user" : "users"}`}>
          <ul className="-mx-4 divide-y divide-slate-100 border-t border-slate-100 sm:hidden" aria-label="Users">
            {users.map((u) => (
              <li key={u.id} className="flex items-center justify-between gap-3 px-4 py-3">
                <div className="min-w-0">
                  <p className={`truncate font-medium ${u.active ? "text-slate-900" : "text-slate-500"}`}>
                    {u.name}
                    {u.id === me.id ? <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span> : null}
                  </p>
                  <p className="truncate text-xs text-slate-500">{u.email}</p>
                  <p className="mt-1.5 flex flex-wrap items-center gap-2">
                    <RoleBadge role={u.role} />
                    <StatusBadge active={u.active} />
                    {u.accountManagerName ? <span className="truncate text-xs text-slate-500">Book: {u.accountManagerName}</span> : null}
                  </p>
                </div>
                <Link href={`/admin/users/${u.id}`} className="shrink-0 rounded-md px-2 py-1 text-sm font-medium text-blue-700 hover:bg-blue-50" aria-label={`Manage ${u.name}`}>
                  Manage
                </Link>
              </li>
            ))}
          </ul>
          <div className="relative -mx-5 hidden overflow-x-auto relative sm:block">
            <table className="w-full min-w-[40rem] text-sm" data-testid="users-table">
              <thead>
                <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
                  <th scope="col" className="px-4 py-2 font-medium sm:px-5">Name</th>
                  <th scope="col" className="px-2 py-2 font-medium">Role</th>
                  <th scope="col" className="px-2 py-2 font-medium">Book</th>
                  <th scope="col" className="px-2 py-2 font-medium">Status</th>
                  <th scope="col" className="px-2 py-2 font-medium">Added</th>
                  <th scope="col" className="px-4 py-2 sm:px-5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} className={`border-b border-slate-100 last:border-0 ${u.active ? "" : "bg-slate-50/60"}`} data-user-email={u.email}>
                    <td className="max-w-[18rem] px-4 py-3 sm:px-5">
                      <p className={`truncate font-medium ${u.active ? "text-slate-900" : "text-slate-500"}`}>
                        {u.name}
                        {u.id === me.id ? <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span> : null}
                      </p>
                      <p className="truncate text-xs text-slate-500">{u.email}</p>
                    </td>
                    <td className="px-2 py-3">
                      <RoleBadge role={u.role} />
                    </td>
                    <td className="max-w-[12rem] truncate px-2 py-3 text-slate-700">{u.accountManagerName ?? <span className="text-slate-400">—</span>}</td>
                    <td className="px-2 py-3">
                      <StatusBadge active={u.active} />
                    </td>
                    <td className="whitespace-nowrap px-2 py-3 text-slate-500">{formatDate(new Date(u.createdAt).toISOString().slice(0, 10))}</td>
                    <td className="px-4 py-3 text-right sm:px-5">
                      <Link
                        href={`/admin/users/${u.id}`}
                        className="rounded-md px-2 py-1 text-sm font-medium text-blue-700 hover:bg-blue-50"
                        aria-label={`Manage ${u.name}`}
                      >
                        Manage
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
    </>
  );
}
