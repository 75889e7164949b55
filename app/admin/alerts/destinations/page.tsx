import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { DestinationsManager } from "@/components/alerts/destinations-manager";
import { getDb } from "@/db";
import { listDestinations } from "@/lib/alerts/server/destinations";
import { destinationsOptions } from "@/lib/alerts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Slack and webhooks" };

export default async function DestinationsPage() {
  await connection();
  await requirePageUser("/admin/alerts/destinations");
  const db = await getDb();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...destinationsOptions(), queryFn: () => listDestinations(db) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <DestinationsManager />
    </HydrationBoundary>
  );
}
