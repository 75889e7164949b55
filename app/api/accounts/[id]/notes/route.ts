import { getDatabase } from "@/db";
import { requireApiUser } from "@/lib/server/authz";
import { validationError } from "@/lib/server/http";
import { accountNotFound, parseAccountId, readJsonBody } from "@/lib/server/request";
import { addNote } from "@/lib/server/worklist";
import { noteInputSchema } from "@/lib/worklist/schemas";

export const dynamic = "force-dynamic";

/** POST /api/accounts/:id/notes { body } — add a note to an account as the signed-in user. */
export async function POST(request: Request, ctx: RouteContext<"/api/accounts/[id]/notes">) {
  const user = await requireApiUser("manager");
  if (user instanceof Response) return user;
  const { id } = await ctx.params;
  const accountId = parseAccountId(id);
  if (accountId === null) return accountNotFound(id);
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const input = noteInputSchema.safeParse(body.body);
  if (!input.success) return validationError(input.error);
  const note = addNote(getDatabase(), { accountId, author: { id: user.id, name: user.name }, body: input.data.body });
  if (!note) return accountNotFound(id);
  return Response.json(note, { status: 201 });
}
