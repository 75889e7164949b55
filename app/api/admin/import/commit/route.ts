import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { commitCsv } from "@/lib/ingestion/server/import/csv-import";
import { readUpload } from "@/lib/ingestion/server/import/upload";

/**
 * Imports an uploaded CSV file in one transaction: all rows, or none when any row has a
 * problem (422); with skipProblems=true, the valid rows (422 when there are none).
 */
export async function POST(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const upload = await readUpload(request);
  if (upload instanceof Response) return upload;
  const outcome = await commitCsv(await getDb(), { id: user.id, name: user.name }, upload);
  if (!outcome.ok) {
    return Response.json(
      {
        success: false,
        error: {
          code: "invalid_rows",
          message:
            outcome.analysis.fileProblems.length > 0
              ? "The file cannot be imported; nothing was imported."
              : upload.skipProblems
                ? "No row of the file can be imported; nothing was imported. Fix the rows and upload the file again."
                : "Some rows have problems; nothing was imported. Fix them and upload the file again, or import the valid rows and skip them.",
        },
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
