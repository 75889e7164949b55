import path from "node:path";
import { z } from "zod";

const databaseEnvSchema = z.object({
  DATABASE_PATH: z
    .string()
    .min(1, "DATABASE_PATH must not be empty")
    .default("./data/ces.db"),
});

/** Where the SQLite file lives: DATABASE_PATH, default ./data/ces.db (relative to cwd). */
export function databasePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = databaseEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const file = parsed.data.DATABASE_PATH;
  return file === ":memory:" ? file : path.resolve(file);
}
