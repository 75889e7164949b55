import { getDb } from "@/db";
import { rejectsPathFor } from "@/lib/ingestion/rejects";
import { requireApiUser } from "@/lib/auth/server/authz";
import { analyseCsv } from "@/lib/ingestion/server/import/csv-import";
import { readUpload } from "@/lib/ingestion/server/import/upload";
import { apiError } from "@/lib/http/server/http";

/**
 * Every row of an uploaded CSV file that cannot be imported, as the rejects file the CLI
 * writes (rejected_line, rejected_field, rejected_reason, then the row as it was), to fix and
 * import again. 404 when no row has a problem.
 */
export async function POST(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const upload = await readUpload(request);
  if (upload instanceof Response) return upload;
  const { analysis, rejectsCsv } = await analyseCsv(await getDb(), upload.kind, upload.text, { withRejects: true });
  if (analysis.fileProblems.length > 0) return apiError(422, "invalid_file", analysis.fileProblems.join(" "), { field: "file" });
  if (rejectsCsv === null) return apiError(404, "no_rejects", "Every row of this file can be imported: there is nothing to fix.");
  const name = rejectsPathFor(upload.fileName).replace(/["\\\r\n]/g, "_");
  return new Response(rejectsCsv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "cache-control": "no-store",
    },
  });
}
