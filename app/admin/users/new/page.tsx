import Link from "next/link";
import { connection } from "next/server";
import { Card, PageHeader } from "@/components/card";
import { CreateUserForm } from "@/components/users/create-user-form";
import { getDb } from "@/db";
import { requirePageUser } from "@/lib/auth/server/authz";
import { listAccountManagerNames } from "@/lib/auth/server/users";

export const metadata = { title: "Add user" };

export default async function NewUserPage() {
  await connection();
  await requirePageUser("/admin/users/new");
  const books = await listAccountManagerNames(await getDb());
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/admin/users" className="hover:text-slate-800 hover:underline">
          Users
        </Link>
        <span aria-hidden="true"> / </span>
        <span className="text-slate-700">Add user</span>
      </nav>
      <PageHeader title="Add user" subtitle="They can sign in as soon as you save, with the password you give them." />
      <Card className="max-w-3xl">
        <CreateUserForm books={books} />
      </Card>
    </>
  );
}
