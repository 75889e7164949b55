import { getAuth } from "@/lib/server/auth";
import { serverAuthConfig } from "@/lib/server/auth-config";
import { handleAuthRequest } from "@/lib/server/auth-route";
import { requestClientAddress, requestHost } from "@/lib/server/edge";

export const dynamic = "force-dynamic";

/** better-auth's endpoints: sign-in, sign-out, session, password change (see lib/server/auth.ts and auth-route.ts). */
async function handle(request: Request): Promise<Response> {
  return handleAuthRequest(await getAuth(), request, {
    policy: serverAuthConfig().originPolicy,
    host: requestHost(request.headers),
    clientAddress: requestClientAddress(request.headers),
  });
}

export const GET = handle;
export const POST = handle;
