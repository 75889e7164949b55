import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { MarkersCard } from "@/components/teams/markers-card";
import { TrendsView } from "@/components/teams/trends-view";
import { getDb } from "@/db";
import { isoDateFromDay, todayDay } from "@/lib/days";
import { getQueryClient } from "@/lib/query-client";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { listChangeMarkers } from "@/lib/teams/server/markers";
import { getTrends } from "@/lib/teams/server/queries";
import { parsePageParams, trendsParamsSchema } from "@/lib/teams/params";
import { markersQuery, trendsQuery } from "@/lib/teams/query-options";

export const metadata = { title: "Trends" };

export default async function TrendsPage({ searchParams }: PageProps<"/trends">) {
  await connection();
  const user = await requirePageUser("/trends");
  const params = parsePageParams(trendsParamsSchema, await searchParams);
  const db = await getDb();
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery({ ...trendsQuery(params), queryFn: () => getTrends(db, params) }),
    queryClient.prefetchQuery({ ...markersQuery(), queryFn: async () => listChangeMarkers(db) }),
  ]);

  return (
    <>
      <PageHeader title="Trends" subtitle="How engagement moves day by day, and what happened around each change." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <div className="flex flex-col gap-4">
          <TrendsView isAdmin={userMay(user, "GET", "/admin")} />
          <MarkersCard canEdit={userMay(user, "POST", "/api/change-markers")} today={isoDateFromDay(todayDay())} />
        </div>
      </HydrationBoundary>
    </>
  );
}
