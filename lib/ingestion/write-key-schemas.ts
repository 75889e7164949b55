import { z } from "zod";
import { cleanLine } from "../text-safety";

/** The body of POST /api/admin/keys (also validated in the form before sending). */
export const createWriteKeySchema = z.object({
  label: z
    .string()
    .transform(cleanLine)
    .pipe(z.string().trim().min(1, "Give the key a label, e.g. the app or pipeline that will use it").max(80, "A label may be at most 80 characters")),
});

export type CreateWriteKeyInput = z.infer<typeof createWriteKeySchema>;

export const writeKeyIdSchema = z.coerce.number().int().positive();
