import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { accountNotFound, requireAccountId } from "@/lib/http/server/request";
import { addNote } from "@/lib/accounts/server/worklist";
import { noteInputSchema } from "@/lib/accounts/worklist-schemas";

export const dynamic = "force-dynamic";

/** POST /api/accounts/:id/notes { body } — add a note to an account as the signed-in user. */
export async function POST(request: Request, ctx: RouteContext<"/api/accounts/[id]/notes">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { id } = await ctx.params;
    const accountId = requireAccountId(id);
    const input = parseRequest(noteInputSchema, await readJsonBody(request));
    const note = await addNote(await getDb(), { accountId, author: { id: user.id, name: user.name }, body: input.body });
    if (!note) return accountNotFound(id);
    return Response.json(note, { status: 201 });
  });
}
