import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiData, apiError } from "@/lib/http/server/http";
import { deleteTag } from "@/lib/accounts/server/tags";
import { tagNameSchema } from "@/lib/teams/tags";

/** Route params may arrive encoded or not; a lone "%" must not throw. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** DELETE /api/admin/tags/:tag — removes the tag from every account (audited). */
export async function DELETE(request: Request, ctx: RouteContext<"/api/admin/tags/[tag]">) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const { tag: raw } = await ctx.params;
  const tag = tagNameSchema.safeParse(safeDecode(raw));
  if (!tag.success) return apiError(400, "invalid_request", "tag: is required", { field: "tag" });
  const removed = await deleteTag(await getDb(), { actor: user, tag: tag.data });
  return removed > 0 ? apiData({ tag: tag.data, accounts: removed }) : apiError(404, "not_found", `No account carries the tag "${tag.data}".`);
}
