import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { insightsParamsSchema } from "@/lib/insights/params";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData, handleErrors, validationError } from "@/lib/http/server/http";
import { sharedValidation } from "@/lib/analysis/server";
import { parseParams } from "@/lib/teams/params";

/** GET /api/insights?from=2026-01-01&to=2026-12-31&lead=90 — renewal rates by tier, ranking, calibration. */
export async function GET(request: NextRequest) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const parsed = parseParams(insightsParamsSchema, request.nextUrl.searchParams);
    if (!parsed.success) return validationError(parsed.error);
    return apiCachedData((await sharedValidation(await getDb(), parsed.data)).value);
  });
}
