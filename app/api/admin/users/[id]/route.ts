import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { apiError, handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { getUser, updateUser, UserChangeError, userChangeErrorResponse } from "@/lib/auth/server/users";
import { updateUserSchema } from "@/lib/auth/users-validation";

export const dynamic = "force-dynamic";

export async function GET(request: Request, context: RouteContext<"/api/admin/users/[id]">) {
  const admin = await requireApiUser(request);
  if (admin instanceof Response) return admin;
  const { id } = await context.params;
  const user = await getUser(await getDb(), { id });
  if (!user) return apiError(404, "not_found", "There is no such user.");
  return Response.json({ success: true, user });
}

/** Changes name, role, book or active state; each change is audited. */
export async function PATCH(request: Request, context: RouteContext<"/api/admin/users/[id]">) {
  return handleErrors(async () => {
    const admin = await requireApiUser(request);
    if (admin instanceof Response) return admin;
    const { id } = await context.params;
    const parsed = updateUserSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) return validationError(parsed.error);
    try {
      const user = await updateUser(await getDb(), { actor: { id: admin.id, name: admin.name }, id, change: parsed.data });
      return Response.json({ success: true, user });
    } catch (error) {
      if (error instanceof UserChangeError) return userChangeErrorResponse(error);
      throw error;
    }
  });
}
