import { z } from "zod";
import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, HttpError } from "@/lib/http/server/http";
import { isRecomputeRunning, startRecompute } from "@/lib/scoring/server/recompute-job";
import { ConfigError, restoreConfigVersion } from "@/lib/scoring/server/scoring-config";

export const dynamic = "force-dynamic";

const idSchema = z.coerce.number().int().positive();

/** Restores a version by saving its configuration again as a new version; 202. */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/scoring/versions/[id]/restore">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const id = idSchema.safeParse((await ctx.params).id);
    if (!id.success) throw new HttpError(400, "invalid_request", "The version id must be a positive whole number.", "id");
    if (isRecomputeRunning()) throw new HttpError(409, "recompute_running", "Scores are being recomputed; restore again when it has finished.");
    const db = await getDb();
    try {
      const versionId = await restoreConfigVersion(db, user, id.data);
      // Applied in the background (once across every server on the database); the answer does not wait.
      void startRecompute(db);
      return Response.json({ versionId }, { status: 202 });
    } catch (error) {
      if (error instanceof ConfigError) throw new HttpError(error.status, "invalid_config", error.message, error.field);
      throw error;
    }
  });
}
