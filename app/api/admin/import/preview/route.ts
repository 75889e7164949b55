import { getDb } from "@/db";
import { requireApiUser } from "@/lib/auth/server/authz";
import { analyseCsv } from "@/lib/ingestion/server/import/csv-import";
import { readUpload } from "@/lib/ingestion/server/import/upload";

/** Checks an uploaded CSV file without storing anything: columns, first rows, every row's problems. */
export async function POST(request: Request) {
  const user = await requireApiUser(request);
  if (user instanceof Response) return user;
  const upload = await readUpload(request);
  if (upload instanceof Response) return upload;
  const { analysis } = await analyseCsv(await getDb(), upload.kind, upload.text);
  return Response.json({ fileName: upload.fileName, size: upload.size, analysis });
}
