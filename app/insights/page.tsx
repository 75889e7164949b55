import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { InsightsView } from "@/components/insights/insights-view";
import { getDb } from "@/db";
import { insightsParamsSchema } from "@/lib/insights/params";
import { validationQuery } from "@/lib/insights/query-options";
import { getQueryClient } from "@/lib/query-client";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { sharedValidation } from "@/lib/analysis/server";
import { parsePageParams } from "@/lib/teams/params";

export const metadata = { title: "Insights" };

export default async function InsightsPage({ searchParams }: PageProps<"/insights">) {
  await connection();
  const user = await requirePageUser("/insights");
  const params = parsePageParams(insightsParamsSchema, await searchParams);
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...validationQuery(params), queryFn: async () => (await sharedValidation(await getDb(), params)).value });
  return (
    <>
      <PageHeader
        title="Does the score predict renewal?"
        subtitle="Renewal outcomes against the score each account had before its renewal date: rates by tier, how well the score ranks churners, and weights the outcomes suggest."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <InsightsView canLoadWeights={userMay(user, "GET", "/admin/weights")} />
      </HydrationBoundary>
    </>
  );
}
