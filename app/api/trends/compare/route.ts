import type { NextRequest } from "next/server";
import { getDatabase } from "@/db";
import { requireApiUser } from "@/lib/server/authz";
import { apiCachedData, apiError, validationError } from "@/lib/server/http";
import { getBeforeAfter } from "@/lib/server/teams/queries";
import { compareParamsSchema, parseParams } from "@/lib/teams/params";

/** GET /api/trends/compare?marker=1&window=90&dimension=plan&horizon=30 — before/after and cohorts. */
export async function GET(request: NextRequest) {
  const parsed = parseParams(compareParamsSchema, request.nextUrl.searchParams);
  if (!parsed.success) return validationError(parsed.error);
  const user = await requireApiUser("viewer");
  if (user instanceof Response) return user;
  const data = getBeforeAfter(getDatabase(), parsed.data);
  if (data && parsed.data.marker !== undefined && data.marker === null) {
    return apiError(404, "not_found", `There is no change marker ${parsed.data.marker}.`, { field: "marker" });
  }
  return apiCachedData(data);
}
