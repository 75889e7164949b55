import type { ReactNode } from "react";
import { AlertsSubnav } from "@/components/alerts/alerts-subnav";
import { PageHeader } from "@/components/card";
import { requirePageUser } from "@/lib/auth/server/authz";

export default async function AlertsLayout({ children }: { children: ReactNode }) {
  await requirePageUser("/admin/alerts");
  return (
    <>
      <PageHeader title="Alerts" subtitle="Reach out at the moment it matters: which score changes raise an alert, and where alerts go." />
      <AlertsSubnav />
      {children}
    </>
  );
}
