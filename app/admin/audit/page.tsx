import Link from "next/link";
import { connection } from "next/server";
import { Card, EmptyState, PageHeader } from "@/components/card";
import { getDb } from "@/db";
import { auditActionLabel, describeAuditEntry } from "@/lib/operations/audit-format";
import { auditQuerySchema } from "@/lib/operations/audit-query";
import { formatCount, formatDateTime } from "@/lib/format";
import { listAuditLog } from "@/lib/operations/server/audit";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Audit log" };

const PAGE_SIZE = 25;

function actionTone(action: string): string {
  if (action.endsWith(".deactivate") || action.endsWith(".revoke") || action.endsWith(".delete")) return "bg-red-50 text-red-700 ring-red-200";
  if (action.endsWith(".create") || action.endsWith(".reactivate")) return "bg-emerald-50 text-emerald-700 ring-emerald-200";
  return "bg-slate-100 text-slate-700 ring-slate-200";
}

export default async function AuditPage({ searchParams }: PageProps<"/admin/audit">) {
  await connection();
  await requirePageUser("/admin/audit");
  const query = await searchParams;
  const parsed = auditQuerySchema.safeParse({ page: typeof query.page === "string" ? query.page : undefined, pageSize: PAGE_SIZE });
  const page = parsed.success ? parsed.data.page : 1;
  const log = await listAuditLog(await getDb(), { page, pageSize: PAGE_SIZE });
  const first = (log.page - 1) * log.pageSize + 1;
  const last = first + log.entries.length - 1;

  return (
    <>
      <PageHeader title="Audit log" subtitle="Every administrative change — who did what, and when. Newest first; times in UTC." />
      {log.total === 0 ? (
        <EmptyState title="Nothing recorded yet">Changes to users, weights, settings, keys and imports appear here.</EmptyState>
      ) : (
        <Card>
          {log.entries.length === 0 ? (
            <p className="py-6 text-center text-sm text-slate-500">
              There is no page {formatCount(page)}.{" "}
              <Link href="/admin/audit" className="text-blue-700 hover:underline">
                Go to the newest entries
              </Link>
            </p>
          ) : (
            <ol className="-my-1 divide-y divide-slate-100" data-testid="audit-entries">
              {log.entries.map((e) => (
                <li key={e.id} className="flex flex-col gap-1.5 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-6" data-action={e.action}>
                  <div className="min-w-0">
                    <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${actionTone(e.action)}`}>
                      {auditActionLabel(e.action)}
                    </span>
                    <p className="mt-1 break-words text-sm text-slate-800">{describeAuditEntry(e)}</p>
                  </div>
                  <div className="shrink-0 text-sm text-slate-500 sm:text-right">
                    <p>
                      by <span className="font-medium text-slate-700">{e.actorName}</span>
                    </p>
                    <p className="text-xs tabular-nums">
                      <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time>
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          )}
          <nav aria-label="Audit log pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4 text-sm">
            <p className="text-slate-500">
              {log.entries.length > 0 ? (
                <>
                  {formatCount(first)}–{formatCount(last)} of {formatCount(log.total)} entries
                </>
              ) : (
                <>{formatCount(log.total)} entries</>
              )}
            </p>
            <div className="flex gap-2">
              {log.page > 1 ? (
                <Link href={`/admin/audit?page=${Math.min(log.page - 1, log.pageCount)}`} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm hover:bg-slate-50">
                  ← Newer
                </Link>
              ) : (
                <span aria-disabled="true" className="rounded-lg border border-slate-200 px-3 py-1.5 text-slate-300">
                  ← Newer
                </span>
              )}
              {log.page < log.pageCount ? (
                <Link href={`/admin/audit?page=${log.page + 1}`} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm hover:bg-slate-50">
                  Older →
                </Link>
              ) : (
                <span aria-disabled="true" className="rounded-lg border border-slate-200 px-3 py-1.5 text-slate-300">
                  Older →
                </span>
              )}
            </div>
          </nav>
        </Card>
      )}
    </>
  );
}
