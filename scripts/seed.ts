/**
 * npm run db:seed [-- --accounts N --seed S --today YYYY-MM-DD]
 * Creates the database if missing and seeds the demo company into it if it is empty.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDb } from "@/db";
import { databaseConfigFromEnv } from "@/db/env";
import { parseIsoDate, todayDay } from "@/lib/days";
import { DEMO_USERS } from "@/lib/demo/users";
import { seedDemoUsers } from "@/lib/demo/server/demo-users";
import { isDatabaseEmpty, seedDemoData } from "@/lib/demo/server/seed";
import { countUsers } from "@/lib/auth/server/users";

const argsSchema = z.object({
  accounts: z.coerce.number().int().min(1, "--accounts must be at least 1").max(1_000_000).default(2000),
  seed: z.coerce.number().int().default(42),
  today: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return todayDay();
      const day = parseIsoDate(v);
      if (day === null) {
        ctx.addIssue({ code: "custom", message: "--today must be a date as YYYY-MM-DD" });
        return z.NEVER;
      }
      return day;
    }),
  "if-empty": z.boolean().default(false),
});

const { values } = parseArgs({
  options: {
    accounts: { type: "string" },
    seed: { type: "string" },
    today: { type: "string" },
    "if-empty": { type: "boolean" },
  },
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const args = parsed.data;

/** Where the data goes, without a password. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "the PostgreSQL database named by DATABASE_URL";
  }
}

async function main(): Promise<void> {
  const config = databaseConfigFromEnv();
  const file = config.kind === "sqlite" ? config.file : redactUrl(config.url);
  const db = await openDb(config);

  if (!(await isDatabaseEmpty(db))) {
    if (args["if-empty"]) {
      console.log(`Database ${file} already has data; leaving it as it is.`);
      await db.close();
      process.exit(0);
    }
    console.error(`Database ${file} already has data. Demo data is only seeded into an empty database (delete the file, or use an empty database, to start over).`);
    await db.close();
    process.exit(1);
  }

  console.log(`Seeding ${args.accounts} demo accounts into ${file} …`);
  let lastPrint = 0;
  const summary = await seedDemoData(db, {
    accounts: args.accounts,
    seed: args.seed,
    today: args.today,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - lastPrint > 1000 || done === total) {
        lastPrint = now;
        process.stdout.write(`  ${done}/${total} accounts\n`);
      }
    },
  });
  console.log(
    `Seeded ${summary.accounts} accounts, ${summary.events.toLocaleString("en-US")} events, ${summary.rollups.toLocaleString("en-US")} daily rollups, ${summary.outcomes.toLocaleString("en-US")} renewal outcomes in ${(summary.millis / 1000).toFixed(1)} s.`,
  );

  // Demo users come only with the demo company, and never next to real users.
  try {
    if ((await countUsers(db)) === 0) {
      await seedDemoUsers(db);
      console.log("Demo users (DEMO ONLY — these passwords are public):");
      for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(7)}  ${u.email.padEnd(22)}  ${u.password}`);
    }
  } catch (error) {
    console.error("Could not create the demo users:", error);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error("Seeding failed:", error);
  process.exit(1);
});
