import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import Link from "next/link";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { CompareView } from "@/components/teams/compare/compare-view";
import { getDb } from "@/db";
import { getQueryClient } from "@/lib/query-client";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getBeforeAfter } from "@/lib/teams/server/compare";
import { compareParamsSchema, parsePageParams } from "@/lib/teams/params";
import { compareQuery } from "@/lib/teams/query-options";

export const metadata = { title: "Before / after a change" };

export default async function ComparePage({ searchParams }: PageProps<"/trends/compare">) {
  await connection();
  const user = await requirePageUser("/trends/compare");
  const params = parsePageParams(compareParamsSchema, await searchParams);
  const db = await getDb();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...compareQuery(params), queryFn: () => getBeforeAfter(db, params) });

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/trends" className="text-slate-500 hover:text-slate-800">
          Trends
        </Link>
        <span aria-hidden="true" className="mx-1.5 text-slate-300">/</span>
        <span className="text-slate-700">Before / after</span>
      </nav>
      <PageHeader title="Before / after a change" subtitle="Did it work? Scores before and after a change, per segment, and how fast new accounts engage." />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <CompareView isAdmin={userMay(user, "GET", "/admin")} />
      </HydrationBoundary>
    </>
  );
}
