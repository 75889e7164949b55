import "server-only";
import { headers } from "next/headers";
import { originUrl, publicOrigin } from "../public-origin";

/** The origin the visitor reached us at (for copy-paste snippets), honouring a proxy's X-Forwarded-* headers. */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  return originUrl(publicOrigin((name) => h.get(name), null));
}
