import type { ReactNode } from "react";
import { AdminTabs } from "@/components/admin-tabs";
import { requirePageUser } from "@/lib/auth/server/authz";

/** Everything under /admin is for administrators only (checked on the server). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePageUser("/admin");
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
