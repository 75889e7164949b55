/**
 * npm run create-admin -- --email you@company.com --name "Your Name" [--password … | --generate-password]
 *
 * Creates an administrator from the command line: for the first run without a browser, or to
 * get back in when no administrator can sign in. Without --password it asks for one (hidden)
 * on the terminal; --generate-password makes a strong one and prints it once.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "@/db";
import { SqliteDb } from "@/db/sqlite-client";
import { databasePathFromEnv } from "@/db/env";
import { createUser, UserChangeError } from "@/lib/auth/server/users";
import { emailSchema, generatePassword, nameSchema, passwordSchema } from "@/lib/auth/users-validation";
import { promptHidden } from "./prompt";

const argsSchema = z
  .object({
    email: emailSchema,
    name: nameSchema,
    password: passwordSchema.optional(),
    "generate-password": z.boolean().default(false),
  })
  .refine((a) => !(a.password && a["generate-password"]), { message: "Pass either --password or --generate-password, not both" });

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      "generate-password": { type: "boolean" },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    fail(
      `${parsed.error.issues.map((i) => (i.path.length > 0 ? `--${i.path.join(".")}: ${i.message}` : i.message)).join("\n")}\n\n` +
        'Usage: npm run create-admin -- --email you@company.com --name "Your Name" [--password … | --generate-password]',
    );
  }
  const args = parsed.data;

  let password = args.password;
  let generated = false;
  if (!password && args["generate-password"]) {
    password = generatePassword(20);
    generated = true;
  }
  if (!password) {
    if (!process.stdin.isTTY) fail("No terminal to ask for the password on: pass --password … or --generate-password.");
    const first = await promptHidden("Password (at least 10 characters): ");
    const checked = passwordSchema.safeParse(first);
    if (!checked.success) fail(checked.error.issues[0]?.message ?? "Invalid password");
    if ((await promptHidden("Repeat the password: ")) !== first) fail("The passwords do not match.");
    password = first;
  }

  const file = databasePathFromEnv();
  const db = openDatabase(file);
  try {
    const user = await createUser(new SqliteDb(db.sqlite, db.file), {
      actor: { id: "cli", name: "Command line" },
      input: { name: args.name, email: args.email, role: "admin", accountManagerName: null, password },
    });
    console.log(`Created administrator ${user.name} <${user.email}> in ${file}.`);
    if (generated) console.log(`Password (shown once): ${password}`);
    console.log("Sign in and open Admin: the setup checklist shows what to do next (bring in data, weigh the event types, invite your team).");
  } catch (error) {
    if (error instanceof UserChangeError) fail(error.message, 1);
    throw error;
  } finally {
    db.sqlite.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
