import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiCachedData } from "@/lib/http/server/http";
import { getOverview } from "@/lib/overview/server/overview";

/** GET /api/overview — the overview page's figures: band counts, average, median, distribution, movers. */
export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return apiCachedData(await getOverview(await getDb()));
}
