import { z } from "zod";
import { getDb } from "@/db";
import { displayText } from "@/lib/text-safety";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, HttpError } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";
import { isRecomputeRunning, recomputeJobState, startRecompute } from "@/lib/scoring/server/recompute-job";
import { getScoringAdminView } from "@/lib/scoring/server/scoring-admin";
import { ConfigError, parseScoringConfig, saveConfigVersion } from "@/lib/scoring/server/scoring-config";

export const dynamic = "force-dynamic";

/** The configuration in force, every event type with its volume and share, and the job state. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return Response.json(await getScoringAdminView(await getDb()));
  });
}

const saveSchema = z.object({
  config: z.unknown(),
  reason: displayText.pipe(z.string().max(500, "The reason may have at most 500 characters")).default(""),
});

/** Saves a new configuration version and starts applying it; 202 with the version id. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const body = saveSchema.safeParse(await readJsonBody(request, BODY_LIMITS.scoringConfig));
    if (!body.success) throw new HttpError(400, "invalid_request", body.error.issues[0]?.message ?? "Invalid request", "reason");
    if (isRecomputeRunning()) throw new HttpError(409, "recompute_running", "Scores are being recomputed; save again when it has finished.");
    const db = await getDb();
    try {
      const config = parseScoringConfig(body.data.config);
      const versionId = await saveConfigVersion(db, user, config, body.data.reason);
      // Applied in the background (once across every server on the database); the answer does not wait.
      void startRecompute(db);
      return Response.json({ versionId, job: recomputeJobState() }, { status: 202 });
    } catch (error) {
      if (error instanceof ConfigError) throw new HttpError(error.status, "invalid_config", error.message, error.field ? `config.${error.field}` : undefined);
      throw error;
    }
  });
}
