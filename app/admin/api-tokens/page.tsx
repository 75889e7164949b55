import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { ApiTokensManager } from "@/components/admin/api-tokens-manager";
import { Card, PageHeader } from "@/components/card";
import { getDb } from "@/db";
import { listApiTokens } from "@/lib/read-api/server/tokens";
import { apiTokensOptions } from "@/lib/alerts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { requestOrigin } from "@/lib/http/server/request-origin";

export const metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  await connection();
  await requirePageUser("/admin/api-tokens");
  const db = await getDb();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...apiTokensOptions(), queryFn: () => listApiTokens(db) });
  const origin = await requestOrigin();
  return (
    <>
      <PageHeader title="API tokens" subtitle="Let a CRM sync or a spreadsheet pull current scores, bands and changes." />
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <HydrationBoundary state={dehydrate(queryClient)}>
          <ApiTokensManager origin={origin} />
        </HydrationBoundary>
        <Card title="Endpoints" description="Described in the OpenAPI document.">
          <ul className="space-y-3 text-sm text-slate-700">
            <li>
              <code className="font-mono text-xs">GET /api/v1/accounts/{"{id}"}/score</code>
              <span className="block text-slate-500">One account by your id of it.</span>
            </li>
            <li>
              <code className="font-mono text-xs">GET /api/v1/scores?changedSince=…</code>
              <span className="block text-slate-500">Scores changed since a moment, in pages (follow nextCursor).</span>
            </li>
            <li>
              <a href="/api/v1/openapi.json" className="font-medium text-blue-700 hover:underline">
                OpenAPI document
              </a>
            </li>
          </ul>
        </Card>
      </div>
    </>
  );
}
