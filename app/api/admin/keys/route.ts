import { getDb } from "@/db";
import { createWriteKeySchema } from "@/lib/ingestion/write-key-schemas";
import { requireApiUser } from "@/lib/auth/server/authz";
import { handleErrors, validationError } from "@/lib/http/server/http";
import { readJsonBody } from "@/lib/http/server/request-body";
import { createWriteKey, listWriteKeys } from "@/lib/ingestion/server/write-keys";

export async function GET(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  return Response.json({ keys: await listWriteKeys(await getDb()) });
}

/** Creates a key; the response is the only place the key itself ever appears. */
export async function POST(request: Request) {
  return handleErrors(async () => {
    const user = await requireApiUser(request);
    if (user instanceof Response) return user;
    const parsed = createWriteKeySchema.safeParse(await readJsonBody(request));
    if (!parsed.success) return validationError(parsed.error);
    const created = await createWriteKey(await getDb(), { actor: { id: user.id, name: user.name }, label: parsed.data.label });
    return Response.json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}
