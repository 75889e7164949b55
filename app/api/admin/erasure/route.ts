import { getDb } from "@/db";
import { erasureRequestSchema } from "@/lib/operations/erasure";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { eraseAndRecompute } from "@/lib/operations/server/admin";

/**
 * POST /api/admin/erasure { kind: "end_user", userId } | { kind: "account", externalId } —
 * deletes everything stored about that end user or account (GDPR erasure), records it in the
 * audit log without the deleted content, and recomputes the scores it changed.
 */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const erasure = parseRequest(erasureRequestSchema, await readJsonBody(request));
    return apiData(await eraseAndRecompute(await getDb(), { id: user.id, name: user.name }, erasure));
  });
}
