import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors } from "@/lib/http/server/http";
import { recomputeJobState } from "@/lib/scoring/server/recompute-job";

export const dynamic = "force-dynamic";

/** Progress of the running (or last) recompute. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    return Response.json(recomputeJobState());
  });
}
