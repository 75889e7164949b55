import { getDatabase } from "@/db";
import { requireApiUser } from "@/lib/server/authz";
import { commitCsv } from "@/lib/server/import/csv-import";
import { readUpload } from "@/lib/server/import/upload";

/** Imports an uploaded CSV file: all rows in one transaction, or none when any row has a problem (422). */
export async function POST(request: Request) {
  const user = await requireApiUser("admin");
  if (user instanceof Response) return user;
  const upload = await readUpload(request);
  if (upload instanceof Response) return upload;
  const outcome = commitCsv(getDatabase(), { id: user.id, name: user.name }, upload);
  if (!outcome.ok) {
    return Response.json(
      {
        success: false,
        error: { code: "invalid_rows", message: "Some rows have problems; nothing was imported. Fix them and upload the file again." },
        analysis: outcome.analysis,
      },
      { status: 422 },
    );
  }
  const { result, analysis } = outcome;
  return Response.json({
    success: true,
    fileName: upload.fileName,
    accepted: result.accepted,
    duplicates: result.duplicates,
    accountsCreated: result.accountsCreated,
    accountsUpdated: result.accountsUpdated,
    outcomesCreated: result.outcomesCreated,
    outcomesUpdated: result.outcomesUpdated,
    analysis,
  });
}
