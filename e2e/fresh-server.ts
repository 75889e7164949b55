import { randomBytes } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { newE2eDatabase } from "./db";
import { startNextServer } from "./server-process";

/**
 * A second production server on an EMPTY database (no demo, no users), for the tests of a
 * real installation's first run. It listens on a port the operating system hands out, so it
 * never collides with the suite's own server or anyone else's.
 */
export interface FreshServer {
  baseURL: string;
  /** A look at the server's database: the first column of the first row. */
  query<T>(query: SQL): Promise<T | undefined>;
  stop(): Promise<void>;
}

export async function startFreshServer(): Promise<FreshServer> {
  const database = await newE2eDatabase();
  const server = await startNextServer(
    "the fresh server",
    (url) => ({
      ...process.env,
      ...database.env,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_URL: url,
      AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
    }),
    90_000,
  );
  return {
    baseURL: server.url,
    async query<T>(query: SQL): Promise<T | undefined> {
      const db = database.open();
      try {
        return await db.value<T>(query);
      } finally {
        await db.close();
      }
    },
    stop: async () => {
      await server.stop();
      await database.remove().catch(() => undefined);
    },
  };
}
