import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { callListCsvHeader, callListCsvRecord } from "@/lib/accounts/lists/csv";
import { parseCallListQuery } from "@/lib/accounts/lists/query";
import { resolveListParams } from "@/lib/accounts/lists/resolve";
import { isoDateFromDay, todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { iterateCallList } from "@/lib/accounts/server/lists";
import { apiError } from "@/lib/http/server/http";
import { loadScoringSettings } from "@/lib/scoring/server/settings";

export const dynamic = "force-dynamic";

/**
 * GET /api/accounts/export?<the list's URL state> — the whole list (every page) as CSV, in
 * list order, streamed a thousand rows at a time. Starts with a byte-order mark so that
 * spreadsheet programs read names in UTF-8.
 */
export async function GET(request: NextRequest) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const parsed = parseCallListQuery(request.nextUrl.searchParams, "strict");
  if (!parsed.ok) return apiError(400, "invalid_request", parsed.message, { field: parsed.field });
  const today = todayDay();
  const params = resolveListParams(parsed.query, { userBook: user.accountManagerName, today });
  const db = await getDb();
  const { compareDays } = await loadScoringSettings(db);
  const rows = iterateCallList(db, params);
  const encoder = new TextEncoder();

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${callListCsvHeader(compareDays)}`));
    },
    async pull(controller) {
      let chunk = "";
      for (let i = 0; i < 500; i++) {
        const next = await rows.next();
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += callListCsvRecord(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });

  const filename = `call-list-${parsed.query.list}-${isoDateFromDay(today)}.csv`;
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
