import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { WeightsEditor } from "@/components/weights/weights-editor";
import { getDb } from "@/db";
import { scoringKeys } from "@/lib/scoring/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getScoringAdminView } from "@/lib/scoring/server/scoring-admin";

export const metadata = { title: "Weights & scoring" };

export default async function WeightsPage() {
  await connection();
  await requirePageUser("/admin/weights");
  const queryClient = getQueryClient();
  const view = await getScoringAdminView(await getDb());
  queryClient.setQueryData(scoringKeys.view(), view);
  queryClient.setQueryData(scoringKeys.job(), view.job);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <WeightsEditor />
    </HydrationBoundary>
  );
}
