import { getDb } from "@/db";
import { apiError, handleErrors, validationError } from "@/lib/http/server/http";
import { BODY_LIMITS, discardBody, readJsonBody } from "@/lib/http/server/request-body";
import { countUsers, createFirstAdmin, UserChangeError } from "@/lib/auth/server/users";
import { setupSchema } from "@/lib/auth/users-validation";

export const dynamic = "force-dynamic";

/**
 * First-run setup: creates the first administrator while no user exists, and refuses (409)
 * forever after. Public by necessity; it cannot do anything once someone has signed up, and
 * then it answers before reading the body at all.
 */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const db = await getDb();
    if ((await countUsers(db)) > 0) {
      discardBody(request);
      return apiError(409, "setup_done", "Setup is complete: an administrator already exists. Sign in instead.");
    }
    const parsed = setupSchema.safeParse(await readJsonBody(request, BODY_LIMITS.authForm));
    if (!parsed.success) return validationError(parsed.error);
    try {
      const user = await createFirstAdmin(db, { input: parsed.data });
      return Response.json({ success: true, user: { id: user.id, name: user.name, email: user.email, role: user.role } }, { status: 201 });
    } catch (error) {
      if (error instanceof UserChangeError) return apiError(error.status, error.code, error.message, { field: error.field });
      throw error;
    }
  });
}
