import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { filterQuery, parseCallListQuery } from "@/lib/accounts/lists/query";
import { todayDay } from "@/lib/days";
import { requireApiUser } from "@/lib/auth/server/authz";
import { getCallListCounts } from "@/lib/accounts/server/lists";
import { apiError } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** GET /api/accounts/counts?manager=…&plan=… — how many accounts each list holds under the filters. */
export async function GET(request: NextRequest) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const parsed = parseCallListQuery(request.nextUrl.searchParams, "strict");
  if (!parsed.ok) return apiError(400, "invalid_request", parsed.message, { field: parsed.field });
  const counts = await getCallListCounts(await getDb(), { query: filterQuery(parsed.query), userBook: user.accountManagerName, today: todayDay() });
  return Response.json(counts);
}
