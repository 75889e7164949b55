import { defineConfig } from "drizzle-kit";

/** Migrations of the PostgreSQL schema (db/schema-postgres/): `npm run db:generate`. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-postgres/index.ts",
  out: "./db/migrations-postgres",
  strict: true,
  verbose: true,
});
