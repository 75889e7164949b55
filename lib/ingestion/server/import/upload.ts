import "server-only";
import { z } from "zod";
import { IMPORT_KINDS, type ImportKind } from "@/lib/ingestion/csv";
import { apiError, HttpError } from "@/lib/http/server/http";
import { readBodyBytes } from "@/lib/http/server/request-body";
import { WEB_IMPORT_MAX_BYTES } from "./csv-import";

const uploadSchema = z.object({
  kind: z.enum(IMPORT_KINDS, { error: "Choose what the file holds: accounts, events or outcomes." }),
  file: z
    .instanceof(File, { error: "Choose a CSV file to upload." })
    .refine((f) => f.size > 0, "The file is empty.")
    .refine((f) => f.size <= WEB_IMPORT_MAX_BYTES, `Files over ${WEB_IMPORT_MAX_BYTES / 1024 / 1024} MB go through the command line: npm run import.`),
  skipProblems: z.enum(["true", "false"], { error: 'skipProblems must be "true" or "false"' }).optional(),
});

export interface Upload {
  kind: ImportKind;
  fileName: string;
  size: number;
  text: string;
  /** Import the valid rows and skip the rows with problems (commit only). */
  skipProblems: boolean;
}

/** The whole multipart body: the file plus room for the form's other fields and boundaries. */
const MAX_UPLOAD_BODY_BYTES = WEB_IMPORT_MAX_BYTES + 64 * 1024;

/** Reads the multipart upload of the import page (kind + file [+ skipProblems]), or the error response. */
export async function readUpload(request: Request): Promise<Upload | Response> {
  let form: FormData;
  try {
    // Read against the limit first: request.formData() would buffer any size.
    const bytes = await readBodyBytes(request, MAX_UPLOAD_BODY_BYTES);
    form = await new Response(bytes, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
  } catch (error) {
    if (error instanceof HttpError && error.status === 413) {
      return apiError(413, "payload_too_large", `Files over ${WEB_IMPORT_MAX_BYTES / 1024 / 1024} MB go through the command line: npm run import.`, { field: "file" });
    }
    return apiError(400, "invalid_request", "Send the file as multipart/form-data with fields kind and file.");
  }
  const parsed = uploadSchema.safeParse({ kind: form.get("kind"), file: form.get("file"), skipProblems: form.get("skipProblems") ?? undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = typeof issue?.path[0] === "string" ? issue.path[0] : undefined;
    return apiError(field === "file" && issue?.message.includes("MB") ? 413 : 400, "invalid_request", issue?.message ?? "Invalid upload", { field });
  }
  const { kind, file, skipProblems } = parsed.data;
  return { kind, fileName: file.name, size: file.size, text: await file.text(), skipProblems: skipProblems === "true" };
}
