import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { insightsParamsSchema } from "@/lib/insights/params";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData, handleErrors, validationError } from "@/lib/http/server/http";
import { sharedSuggestion } from "@/lib/analysis/server";
import { parseParams } from "@/lib/teams/params";

/** GET /api/insights/suggestion?from=…&to=…&lead=90 — weights fitted to the period's renewals (cross-validated). */
export async function GET(request: NextRequest) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const parsed = parseParams(insightsParamsSchema, request.nextUrl.searchParams);
    if (!parsed.success) return validationError(parsed.error);
    return apiCachedData((await sharedSuggestion(await getDb(), parsed.data)).value);
  });
}
