import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { DataManager } from "@/components/admin/data-manager";
import { PageHeader } from "@/components/card";
import { getDb } from "@/db";
import { retentionQuery, retentionRunQuery } from "@/lib/operations/retention-query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { retentionOverview } from "@/lib/operations/server/admin";

export const metadata = { title: "Data retention & deletion" };

export default async function DataPage() {
  await connection();
  await requirePageUser("/admin/data");
  const queryClient = getQueryClient();
  const overview = await retentionOverview(await getDb());
  queryClient.setQueryData(retentionQuery.queryKey, overview);
  queryClient.setQueryData(retentionRunQuery.queryKey, overview.lastRun);
  return (
    <>
      <PageHeader title="Data retention & deletion" subtitle="How long raw events are kept, and erasing everything stored about one person or one account." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DataManager />
      </HydrationBoundary>
    </>
  );
}
