import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData, validationError } from "@/lib/http/server/http";
import { getTrends } from "@/lib/teams/server/queries";
import { parseParams, trendsParamsSchema } from "@/lib/teams/params";

/** GET /api/trends?range=90&dimension=plan&segments=Starter,Growth — daily mean, median, band mix. */
export async function GET(request: NextRequest) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const parsed = parseParams(trendsParamsSchema, request.nextUrl.searchParams);
  if (!parsed.success) return validationError(parsed.error);
  return apiCachedData(await getTrends(await getDb(), parsed.data));
}
