import { getDb } from "@/db";
import { contactTimeProblem } from "@/lib/date-ranges";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiError, handleErrors, parseRequest } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { accountNotFound, requireAccountId } from "@/lib/http/server/request";
import { logContact } from "@/lib/accounts/server/worklist";
import { contactInputSchema } from "@/lib/accounts/worklist-schemas";

export const dynamic = "force-dynamic";

/** POST /api/accounts/:id/contacts { outcome, note?, contactedAt? } — log a contact as the signed-in user. */
export async function POST(request: Request, ctx: RouteContext<"/api/accounts/[id]/contacts">) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const { id } = await ctx.params;
    const accountId = requireAccountId(id);
    const input = parseRequest(contactInputSchema, await readJsonBody(request));
    const now = Date.now();
    const contactedAt = input.contactedAt ? Date.parse(input.contactedAt) : now;
    // Logged a little after the fact, never ahead of it, never before 2000 (lib/date-ranges.ts).
    const problem = contactTimeProblem(contactedAt, now);
    if (problem) return apiError(400, "invalid_request", `contactedAt: ${problem}`, { field: "contactedAt" });
    const contact = await logContact(await getDb(), {
      accountId,
      author: { id: user.id, name: user.name },
      outcome: input.outcome,
      note: input.note,
      contactedAt,
    });
    if (!contact) return accountNotFound(id);
    return Response.json(contact, { status: 201 });
  });
}
