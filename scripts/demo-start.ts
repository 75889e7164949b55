/**
 * The last step of `npm run demo`: serves the built app on port 3000 with a sign-in secret,
 * reachable at any of this machine's addresses (see demo-auth-env.ts).
 * DEMO ONLY: when AUTH_SECRET is not set, a random one is generated once into the data
 * directory (next to the database, git-ignored) so sessions survive restarts. A real
 * installation sets AUTH_SECRET itself (see the README).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { databasePathFromEnv } from "@/db/env";
import { demoAuthEnv } from "./demo-auth-env";
import { nextStartArgs } from "./lib/next-start";

const port = process.env.PORT ?? "3000";
const env: NodeJS.ProcessEnv = demoAuthEnv(process.env);

if (!env.AUTH_SECRET) {
  const secretFile = path.join(path.dirname(databasePathFromEnv()), "demo-auth-secret");
  if (!fs.existsSync(secretFile)) {
    fs.mkdirSync(path.dirname(secretFile), { recursive: true });
    fs.writeFileSync(secretFile, randomBytes(32).toString("base64"), { mode: 0o600 });
    console.log(`Generated a demo-only sign-in secret in ${secretFile}.`);
  }
  env.AUTH_SECRET = fs.readFileSync(secretFile, "utf8").trim();
}
/** The machine's IPv4 network addresses, for opening the demo from another device. */
function networkAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === "IPv4" && !a.internal)
    .map((a) => a.address);
}

const others = networkAddresses().map((a) => `http://${a}:${port}`);
console.log(`Open http://localhost:${port}${others.length ? ` (or ${others.join(", ")} from another device)` : ""}; demo users are listed in the README.`);
const server = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(port), { stdio: "inherit", env });
const stop = () => server.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
server.on("exit", (code) => process.exit(code ?? 0));
