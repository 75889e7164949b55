import { getDatabase } from "@/db";
import { requireApiUser } from "@/lib/server/authz";
import { validationError } from "@/lib/server/http";
import { resetUserPassword, UserChangeError, userChangeErrorResponse } from "@/lib/server/users";
import { resetPasswordSchema } from "@/lib/users-validation";

export const dynamic = "force-dynamic";

/** Sets a new password for a user (who is signed out everywhere); audited as user.password_reset. */
export async function POST(request: Request, context: RouteContext<"/api/admin/users/[id]/password">) {
  const admin = await requireApiUser("admin");
  if (admin instanceof Response) return admin;
  const { id } = await context.params;
  const parsed = resetPasswordSchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return validationError(parsed.error);
  try {
    await resetUserPassword(getDatabase(), { id: admin.id, name: admin.name }, id, parsed.data.password);
    return Response.json({ success: true });
  } catch (error) {
    if (error instanceof UserChangeError) return userChangeErrorResponse(error);
    throw error;
  }
}
