import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { TagsAdmin } from "@/components/admin/tags-admin";
import { getDb } from "@/db";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getTagsOverview } from "@/lib/accounts/server/tags";
import { tagsQuery } from "@/lib/teams/tags-query";

export const metadata = { title: "Tags · Admin" };

export default async function TagsAdminPage() {
  await connection();
  await requirePageUser("/admin/tags");
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...tagsQuery(), queryFn: async () => getTagsOverview(await getDb()) });
  return (
    <>
      <PageHeader title="Tags" subtitle="Label accounts (a pilot group, a campaign, a partner) and compare them on the Segments page." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <TagsAdmin />
      </HydrationBoundary>
    </>
  );
}
