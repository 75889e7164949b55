import { getDatabase } from "@/db";
import { apiError, validationError } from "@/lib/server/http";
import { countUsers, createFirstAdmin, UserChangeError } from "@/lib/server/users";
import { setupSchema } from "@/lib/users-validation";

export const dynamic = "force-dynamic";

/**
 * First-run setup: creates the first administrator while no user exists, and refuses (409)
 * forever after. Public by necessity; it cannot do anything once someone has signed up.
 */
export async function POST(request: Request) {
  const body: unknown = await request.json().catch(() => undefined);
  const db = getDatabase();
  const parsed = setupSchema.safeParse(body);
  if (!parsed.success) {
    // Say "already set up" before complaining about the body, so probing learns nothing more.
    if (countUsers(db) > 0) return apiError(409, "setup_done", "Setup is complete: an administrator already exists. Sign in instead.");
    return validationError(parsed.error);
  }
  try {
    const user = await createFirstAdmin(db, parsed.data);
    return Response.json({ success: true, user: { id: user.id, name: user.name, email: user.email, role: user.role } }, { status: 201 });
  } catch (error) {
    if (error instanceof UserChangeError) return apiError(error.status, error.code, error.message, { field: error.field });
    throw error;
  }
}
