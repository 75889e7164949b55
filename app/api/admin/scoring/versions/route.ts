import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors } from "@/lib/http/server/http";
import { listConfigVersions } from "@/lib/scoring/server/scoring-config";

export const dynamic = "force-dynamic";

/** Every configuration version, newest first, with what each changed. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return Response.json({ versions: await listConfigVersions(await getDb()) });
  });
}
