import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, HttpError } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";
import { sharedPreview } from "@/lib/analysis/server";
import { ConfigError, parseScoringConfig } from "@/lib/scoring/server/scoring-config";

export const dynamic = "force-dynamic";

/** What an edited configuration would do to every account (nothing is saved). */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    let config;
    try {
      config = parseScoringConfig(await readJsonBody(request, BODY_LIMITS.scoringConfig));
    } catch (error) {
      if (error instanceof ConfigError) throw new HttpError(error.status, "invalid_config", error.message, error.field);
      throw error;
    }
    const db = await getDb();
    // Scoring every account twice takes a while at scale: it is done in an analysis worker (its
    // own connection to the database), shared by identical previews.
    return Response.json((await sharedPreview(db, config)).value);
  });
}
