import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import Link from "next/link";
import { connection } from "next/server";
import { WriteKeysManager } from "@/components/admin/write-keys-manager";
import { Card, PageHeader } from "@/components/card";
import { Stat } from "@/components/stat";
import { getDb } from "@/db";
import { formatCount, formatDateTime } from "@/lib/format";
import { writeKeysQuery } from "@/lib/ingestion/write-keys-query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getIngestionStatus } from "@/lib/ingestion/server/ingestion-status";
import { requestOrigin } from "@/lib/http/server/request-origin";
import { listWriteKeys } from "@/lib/ingestion/server/write-keys";

export const metadata = { title: "Write keys" };

export default async function WriteKeysPage() {
  await connection();
  await requirePageUser("/admin/keys");
  const db = await getDb();
  const queryClient = getQueryClient();
  queryClient.setQueryData(writeKeysQuery.queryKey, await listWriteKeys(db));
  const status = await getIngestionStatus(db);
  const origin = await requestOrigin();

  return (
    <>
      <PageHeader
        title="Write keys"
        subtitle="Keys let your product, Segment SDKs and data pipelines send events and account data."
        actions={
          <Link href="/admin/import" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50">
            Import a CSV file
          </Link>
        }
      />

      <dl className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Events today" value={formatCount(status.eventsToday)} hint="that happened today (UTC)" testId="stat-events-today" />
        <Stat
          label="Waiting for an account"
          value={formatCount(status.waitingEvents)}
          hint={status.waitingEvents === 0 ? "every event is attributed" : `from ${formatCount(status.waitingUsers)} ${status.waitingUsers === 1 ? "user" : "users"} not yet linked`}
          testId="stat-waiting"
        />
        <Stat label="New event types" value={formatCount(status.newEventTypes)} hint="weight 0 until an admin weighs them" testId="stat-new-types" />
        <Stat label="Active keys" value={formatCount(status.activeKeys)} testId="stat-active-keys" />
      </dl>

      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <HydrationBoundary state={dehydrate(queryClient)}>
            <WriteKeysManager origin={origin} />
          </HydrationBoundary>
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Where to send data">
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="font-medium text-slate-900">Segment SDKs and HTTP API</dt>
                <dd className="mt-0.5 text-slate-500">
                  Set the SDK&apos;s host to <code className="break-all rounded bg-slate-100 px-1 text-slate-800">{origin}</code>. track, identify, group,
                  page, screen, alias and batch all work.
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-900">analytics.js in the browser</dt>
                <dd className="mt-0.5 text-slate-500">
                  Load it with <code className="rounded bg-slate-100 px-1 text-slate-800">cdnURL</code> set to this address, or use Segment&apos;s snippet with{" "}
                  <code className="break-all rounded bg-slate-100 px-1 text-slate-800">{new URL(origin).host}</code> as its host: settings, the library
                  and every call come from here, nothing goes to Segment.
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-900">Native batch API</dt>
                <dd className="mt-0.5 text-slate-500">
                  <code className="rounded bg-slate-100 px-1 text-slate-800">POST /api/v1/events</code> and{" "}
                  <code className="rounded bg-slate-100 px-1 text-slate-800">/api/v1/accounts</code>, documented in the{" "}
                  <a href="/api/v1/openapi.json" className="font-medium text-blue-700 hover:underline">
                    OpenAPI document
                  </a>
                  .
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-900">Try before you send</dt>
                <dd className="mt-0.5 text-slate-500">
                  Add <code className="rounded bg-slate-100 px-1 text-slate-800">?dryRun=true</code> to any of these calls: the key and every event are checked and the
                  answer says what would be stored, but nothing is.
                </dd>
              </div>
              <div>
                <dt className="font-medium text-slate-900">Limits</dt>
                <dd className="mt-0.5 text-slate-500">32 KB per event, 4 MB per request (gzip welcome), 2,500 events per request. Repeated messageIds count once.</dd>
              </div>
            </dl>
          </Card>
          <Card
            title="Waiting for an account"
            description="Events from users no identify or group call has linked to an account yet. They are kept and counted as soon as the link arrives."
          >
            {status.topWaiting.length === 0 ? (
              <p className="text-sm text-slate-500">Nothing is waiting: every event has its account.</p>
            ) : (
              <ul className="divide-y divide-slate-100 text-sm" aria-label="Users with waiting events">
                {status.topWaiting.map((w) => (
                  <li key={w.userId} className="flex items-center justify-between gap-3 py-2">
                    <span className="min-w-0">
                      <code className="block truncate font-mono text-slate-800">{w.userId}</code>
                      <span className="text-xs text-slate-500">since {formatDateTime(w.since)}</span>
                    </span>
                    <span className="shrink-0 tabular-nums text-slate-600">{formatCount(w.events)} events</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      </div>
    </>
  );
}
