import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { createUser, listUsers, UserChangeError, userChangeErrorResponse } from "@/lib/auth/server/users";
import { createUserSchema } from "@/lib/auth/users-validation";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return Response.json({ success: true, users: await listUsers(await getDb()) });
}

/** Creates a user with a password the administrator hands over; audited as user.create. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const admin = await requireApiUser(request);
    if (admin instanceof Response) return admin;
    const parsed = createUserSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) return validationError(parsed.error);
    try {
      const created = await createUser(await getDb(), { actor: { id: admin.id, name: admin.name }, input: parsed.data });
      return Response.json({ success: true, user: created }, { status: 201 });
    } catch (error) {
      if (error instanceof UserChangeError) return userChangeErrorResponse(error);
      throw error;
    }
  });
}
