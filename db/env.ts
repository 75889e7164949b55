import path from "node:path";
import { z } from "zod";

const databaseEnvSchema = z.object({
  DATABASE_PATH: z.string().min(1, "DATABASE_PATH must not be empty").default("./data/ces.db"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine((url) => url === undefined || url === "" || /^postgres(ql)?:\/\//.test(url), {
      message: "DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database)",
    }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, "DATABASE_POOL_SIZE must be at least 1").max(500).default(10),
});

/** Which database the product runs on (docs/adr/0015-one-data-layer-for-sqlite-and-postgresql.md). */
export type DatabaseConfig = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string; poolSize: number };

function parse(env: NodeJS.ProcessEnv) {
  const parsed = databaseEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Where the SQLite file lives: DATABASE_PATH, default ./data/ces.db (relative to cwd). */
export function databasePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const file = parse(env).DATABASE_PATH;
  return file === ":memory:" ? file : path.resolve(file);
}

/** PostgreSQL when DATABASE_URL is set, else SQLite at DATABASE_PATH. */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const data = parse(env);
  if (data.DATABASE_URL) return { kind: "postgres", url: data.DATABASE_URL, poolSize: data.DATABASE_POOL_SIZE };
  return { kind: "sqlite", file: databasePathFromEnv(env) };
}
