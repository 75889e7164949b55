import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { RulesEditor } from "@/components/alerts/rules-editor";
import { getDb } from "@/db";
import { listDestinations } from "@/lib/alerts/server/destinations";
import { ruleFacets } from "@/lib/alerts/server/facets";
import { listRules } from "@/lib/alerts/server/rules";
import { rulesOptions } from "@/lib/alerts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Alert rules" };

export default async function AlertRulesPage() {
  await connection();
  await requirePageUser("/admin/alerts");
  const db = await getDb();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({
    ...rulesOptions(),
    queryFn: async () => ({ rules: await listRules(db), destinations: await listDestinations(db), facets: await ruleFacets(db) }),
  });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <RulesEditor />
    </HydrationBoundary>
  );
}
