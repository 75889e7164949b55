import type { NextRequest } from "next/server";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData, validationError } from "@/lib/http/server/http";
import { getSegments } from "@/lib/teams/server/queries";
import { parseParams, segmentsParamsSchema } from "@/lib/teams/params";

/** GET /api/segments?dimension=plan — per-segment summary of the current scores. */
export async function GET(request: NextRequest) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const parsed = parseParams(segmentsParamsSchema, request.nextUrl.searchParams);
  if (!parsed.success) return validationError(parsed.error);
  return apiCachedData(await getSegments(await getDb(), parsed.data));
}
