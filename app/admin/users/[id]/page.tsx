import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Card, PageHeader } from "@/components/card";
import { AccessControl, ResetPasswordForm, UserDetailsForm } from "@/components/users/edit-user-forms";
import { RoleBadge, StatusBadge } from "@/components/users/role-badge";
import { getDb } from "@/db";
import { formatDateTime } from "@/lib/format";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getUser, listAccountManagerNames } from "@/lib/auth/server/users";

export const metadata = { title: "Manage user" };

export default async function UserPage({ params }: PageProps<"/admin/users/[id]">) {
  await connection();
  const me = await requirePageUser("/admin/users/*");
  const { id } = await params;
  const db = await getDb();
  const user = await getUser(db, { id });
  if (!user) notFound();
  const books = await listAccountManagerNames(db);
  const editable = { id: user.id, name: user.name, email: user.email, role: user.role, accountManagerName: user.accountManagerName, active: user.active };

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/admin/users" className="hover:text-slate-800 hover:underline">
          Users
        </Link>
        <span aria-hidden="true"> / </span>
        <span className="text-slate-700">{user.name}</span>
      </nav>
      <PageHeader
        title={user.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{user.email}</span>
            <RoleBadge role={user.role} />
            <StatusBadge active={user.active} />
            <span>Added {formatDateTime(user.createdAt)}</span>
          </span>
        }
      />
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <Card title="Role and book" description="What they may do, and whose accounts they work.">
          <UserDetailsForm key={`${user.role}-${user.accountManagerName}-${user.name}`} user={editable} books={books} />
        </Card>
        <div className="space-y-4">
          <Card title="Password" description="Set a new password if they forgot theirs.">
            <ResetPasswordForm user={editable} />
          </Card>
          <Card title="Access" description={user.active ? "This user can sign in." : `Deactivated ${user.deactivatedAt ? formatDateTime(user.deactivatedAt) : ""}`}>
            <AccessControl user={editable} isSelf={user.id === me.id} />
          </Card>
        </div>
      </div>
    </>
  );
}
