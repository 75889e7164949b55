import { getDb } from "@/db";
import { writeKeyIdSchema } from "@/lib/ingestion/write-key-schemas";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiError } from "@/lib/http/server/http";
import { revokeWriteKey } from "@/lib/ingestion/server/write-keys";

/** Revokes a key at once (idempotent: revoking a revoked key returns it unchanged). */
export async function POST(request: Request, ctx: RouteContext<"/api/admin/keys/[id]/revoke">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const id = writeKeyIdSchema.safeParse((await ctx.params).id);
  if (!id.success) return apiError(400, "invalid_request", "The key id must be a positive whole number.", { field: "id" });
  const key = await revokeWriteKey(await getDb(), { actor: { id: user.id, name: user.name }, id: id.data });
  if (!key) return apiError(404, "not_found", `There is no write key ${id.data}.`);
  return Response.json({ key });
}
