import { getAuth } from "@/lib/server/auth";

export const dynamic = "force-dynamic";

/** better-auth's endpoints: sign-in, sign-out, session, password change (see lib/server/auth.ts). */
function handle(request: Request): Promise<Response> {
  return getAuth().handler(request);
}

export const GET = handle;
export const POST = handle;
