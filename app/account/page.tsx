import { connection } from "next/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card, PageHeader } from "@/components/card";
import { EmailPreferences } from "@/components/notifications/email-preferences";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Your account" };

export default async function AccountPage() {
  await connection();
  const user = await requirePageUser("/account");
  return (
    <>
      <PageHeader title="Your account" subtitle="Your profile, password and email." />
      <div className="grid items-start gap-4 lg:grid-cols-2">
        <Card title="Profile" description="Your name, role and book are set by an administrator.">
          <dl className="divide-y divide-slate-100 text-sm">
            <div className="flex justify-between gap-4 py-2.5">
              <dt className="shrink-0 text-slate-500">Name</dt>
              <dd className="font-medium text-slate-900">{user.name}</dd>
            </div>
            <div className="flex justify-between gap-4 py-2.5">
              <dt className="shrink-0 text-slate-500">Email</dt>
              <dd className="min-w-0 truncate font-medium text-slate-900">{user.email}</dd>
            </div>
            <div className="flex justify-between gap-4 py-2.5">
              <dt className="shrink-0 text-slate-500">Role</dt>
              <dd className="min-w-0 text-right">
                <span className="font-medium text-slate-900">{ROLE_LABELS[user.role]}</span>
                <span className="block text-xs text-slate-500">{ROLE_DESCRIPTIONS[user.role]}</span>
              </dd>
            </div>
            <div className="flex justify-between gap-4 py-2.5">
              <dt className="shrink-0 text-slate-500">Book of accounts</dt>
              <dd className="font-medium text-slate-900">{user.accountManagerName ?? "None"}</dd>
            </div>
          </dl>
        </Card>
        <Card title="Change password" description="Use a password you don't use anywhere else.">
          <ChangePasswordForm />
        </Card>
        <Card title="Email" description={`What we send to ${user.email}.`}>
          <EmailPreferences hasBook={user.accountManagerName !== null} />
        </Card>
      </div>
    </>
  );
}
