import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { EmailSettingsPanel } from "@/components/alerts/email-settings-form";
import { getDb } from "@/db";
import { getEmailSettings, publicEmailSettings } from "@/lib/alerts/server/email-settings";
import { emailSettingsOptions } from "@/lib/alerts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Email and digests" };

export default async function EmailSettingsPage() {
  await connection();
  const user = await requirePageUser("/admin/alerts/email");
  const db = await getDb();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...emailSettingsOptions(), queryFn: async () => publicEmailSettings(await getEmailSettings(db)) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <EmailSettingsPanel adminEmail={user.email} />
    </HydrationBoundary>
  );
}
