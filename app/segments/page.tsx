import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { SegmentsView } from "@/components/teams/segments-view";
import { getDb } from "@/db";
import { getQueryClient } from "@/lib/query-client";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { listChangeMarkers } from "@/lib/teams/server/markers";
import { getSegments, getTrends } from "@/lib/teams/server/queries";
import { parsePageParams, segmentsParamsSchema } from "@/lib/teams/params";
import { markersQuery, segmentsQuery, trendsQuery } from "@/lib/teams/query-options";

export const metadata = { title: "Segments" };

export default async function SegmentsPage({ searchParams }: PageProps<"/segments">) {
  await connection();
  const user = await requirePageUser("/segments");
  const params = parsePageParams(segmentsParamsSchema, await searchParams);
  const db = await getDb();
  const queryClient = getQueryClient();
  const prefetches = [
    queryClient.prefetchQuery({ ...segmentsQuery(params), queryFn: () => getSegments(db, params) }),
    queryClient.prefetchQuery({ ...markersQuery(), queryFn: async () => listChangeMarkers(db) }),
  ];
  if (params.compare && params.compare.length >= 2) {
    const trend = { range: 365, dimension: params.dimension, segments: params.compare, metric: "mean" } as const;
    prefetches.push(queryClient.prefetchQuery({ ...trendsQuery(trend), queryFn: () => getTrends(db, trend) }));
  }
  await Promise.all(prefetches);

  return (
    <>
      <PageHeader
        title="Segments"
        subtitle="Compare groups of customers: how engaged they are, who is at risk, and where each is heading."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <SegmentsView isAdmin={userMay(user, "GET", "/admin")} />
      </HydrationBoundary>
    </>
  );
}
