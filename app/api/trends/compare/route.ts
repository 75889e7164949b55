import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData, validationError } from "@/lib/http/server/http";
import { getBeforeAfter } from "@/lib/teams/server/compare";
import { compareParamsSchema, parseParams } from "@/lib/teams/params";

/** GET /api/trends/compare?marker=1&window=90&dimension=plan&horizon=30 — before/after and cohorts. */
export async function GET(request: NextRequest) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const parsed = parseParams(compareParamsSchema, request.nextUrl.searchParams);
  if (!parsed.success) return validationError(parsed.error);
  // A marker that does not exist (any more) answers marker: null with the list to choose from.
  return apiCachedData(await getBeforeAfter(await getDb(), parsed.data));
}
