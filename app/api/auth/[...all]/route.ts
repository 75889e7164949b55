import { getAuth } from "@/lib/auth/server/auth";
import { serverAuthConfig } from "@/lib/auth/server/auth-config";
import { handleAuthRequest } from "@/lib/auth/server/auth-route";
import { requestClientAddress, requestHost } from "@/lib/http/server/edge";

export const dynamic = "force-dynamic";

/** better-auth's endpoints: sign-in, sign-out, session, password change (see lib/auth/server/auth.ts and auth-route.ts). */
async function handle(request: Request): Promise<Response> {
  return handleAuthRequest(await getAuth(), request, {
    policy: serverAuthConfig().originPolicy,
    host: requestHost(request.headers),
    clientAddress: requestClientAddress(request.headers),
  });
}

export const GET = handle;
export const POST = handle;
