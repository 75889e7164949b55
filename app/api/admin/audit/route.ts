import { getDb } from "@/db";
import { auditQuerySchema } from "@/lib/operations/audit-query";
import { listAuditLog } from "@/lib/operations/server/audit";
import { requireApiUser } from "@/lib/auth/server/authz";
import { validationError } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** The audit log, newest first: GET /api/admin/audit?page=1&pageSize=25. */
export async function GET(request: Request) {
  const admin = await requireApiUser(request);
  if (admin instanceof Response) return admin;
  const params = new URL(request.url).searchParams;
  const parsed = auditQuerySchema.safeParse({ page: params.get("page") ?? undefined, pageSize: params.get("pageSize") ?? undefined });
  if (!parsed.success) return validationError(parsed.error);
  return Response.json({ success: true, ...(await listAuditLog(await getDb(), parsed.data)) });
}
