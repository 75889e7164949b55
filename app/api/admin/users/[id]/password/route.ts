import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, validationError } from "@/lib/http/server/http";
import { BODY_LIMITS, readJsonBody } from "@/lib/http/server/request-body";
import { resetUserPassword, UserChangeError, userChangeErrorResponse } from "@/lib/auth/server/users";
import { resetPasswordSchema } from "@/lib/auth/users-validation";

export const dynamic = "force-dynamic";

/** Sets a new password for a user (who is signed out everywhere); audited as user.password_reset. */
export async function POST(request: Request, context: RouteContext<"/api/admin/users/[id]/password">) {
  return handleErrors(async () => {
    const admin = await requireApiUser(request);
    if (admin instanceof Response) return admin;
    const { id } = await context.params;
    const parsed = resetPasswordSchema.safeParse(await readJsonBody(request, BODY_LIMITS.authForm));
    if (!parsed.success) return validationError(parsed.error);
    try {
      await resetUserPassword(await getDb(), { actor: { id: admin.id, name: admin.name }, id, password: parsed.data.password });
      return Response.json({ success: true });
    } catch (error) {
      if (error instanceof UserChangeError) return userChangeErrorResponse(error);
      throw error;
    }
  });
}
