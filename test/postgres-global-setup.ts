import type { TestProject } from "vitest/node";
import { databaseUrl, runOnServer, startTemporaryPostgres, type TemporaryPostgres } from "../scripts/lib/temporary-postgres";
import { createPool, PostgresDb } from "../db/postgres-client";
import { migratePostgres } from "../db/postgres-migrate";

/**
 * Global setup of the `postgres` test project: a PostgreSQL server for the run (the one
 * CES_TEST_POSTGRES_URL names, else a temporary one started here and stopped at the end) and
 * a migrated template database that every test file clones (test/db.ts): cloning a template
 * takes milliseconds, migrating takes seconds.
 */
export const TEMPLATE_DATABASE = "ces_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: TemporaryPostgres | null = null;
  const adminUrl = process.env.CES_TEST_POSTGRES_URL ?? (server = await startTemporaryPostgres()).url;

  await runOnServer(adminUrl, `DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await runOnServer(adminUrl, `CREATE DATABASE ${TEMPLATE_DATABASE}`);

  const template = new PostgresDb(createPool(databaseUrl(adminUrl, TEMPLATE_DATABASE), { max: 1 }), TEMPLATE_DATABASE);
  await migratePostgres(template);
  await template.close();

  project.provide("postgresAdminUrl", adminUrl);
  project.provide("postgresTemplate", TEMPLATE_DATABASE);
  return async () => {
    server?.stop();
  };
}
