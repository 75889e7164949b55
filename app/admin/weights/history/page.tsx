import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import Link from "next/link";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { VersionHistory } from "@/components/weights/version-history";
import { getDb } from "@/db";
import { scoringKeys } from "@/lib/scoring/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { eventTypeLabels, listConfigVersions } from "@/lib/scoring/server/scoring-config";

export const metadata = { title: "Configuration history" };

export default async function WeightsHistoryPage() {
  await connection();
  await requirePageUser("/admin/weights/history");
  const db = await getDb();
  const queryClient = getQueryClient();
  queryClient.setQueryData(scoringKeys.versions(), await listConfigVersions(db));
  const labels = await eventTypeLabels(db);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Configuration history"
        subtitle="Every saved set of weights and settings. Restoring one saves it again as a new version."
        actions={
          <Link href="/admin/weights" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Back to weights
          </Link>
        }
      />
      <VersionHistory labels={labels} />
    </HydrationBoundary>
  );
}
