/**
 * npm run screenshots [-- --port 3390 --no-build --only overview,accounts]
 *
 * Retakes every image in docs/screenshots/ at 1280 and 390 px wide, the way a user sees the
 * product: the production build on a fresh copy of the default demo (`npm run db:seed`:
 * 2,000 accounts, seed 42, as of today) with its demo users, in Chromium (Debian's at
 * /usr/bin/chromium, CHROMIUM_PATH, or Playwright's own). The setup page is taken on an empty
 * database. Nothing outside a temporary directory and docs/screenshots/ is written.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { z } from "zod";
import { openDatabase } from "@/db";
import { todayDay } from "@/lib/days";
import { demoUser } from "@/lib/demo/users";
import { SqliteDb } from "@/db/sqlite-client";
import { seedDemoUsers } from "@/lib/demo/server/demo-users";
import { seedDemoDataSqlite as seedDemoData } from "@/lib/demo/server/seed";
import { nextStartArgs } from "./lib/next-start";

const OUT = path.resolve("docs/screenshots");
const WIDTHS = [1280, 390] as const;
type Width = (typeof WIDTHS)[number];

const args = z
  .object({
    port: z.coerce.number().int().min(1024, "--port must be 1024 or above").max(65535).default(3390),
    build: z.boolean().default(true),
    only: z
      .string()
      .optional()
      .transform((v) => (v ? new Set(v.split(",").map((s) => s.trim())) : null)),
  })
  .parse(
    (() => {
      const { values } = parseArgs({ options: { port: { type: "string" }, "no-build": { type: "boolean" }, only: { type: "string" } } });
      return { port: values.port, build: !values["no-build"], only: values.only };
    })(),
  );

const origin = `http://127.0.0.1:${args.port}`;

/** One image per width: `name-1280.png` and `name-390.png` (the README's overview keeps its name at 1280). */
interface Shot {
  name: string;
  role: "admin" | "manager" | "signed-out";
  /** The path to open, or a function that finds it (and prepares the page). */
  path: string | ((page: Page) => Promise<string>);
  /** Wait for this before the picture (charts drawn, lists loaded). */
  ready?: (page: Page) => Promise<void>;
  fullPage?: boolean;
}

function fileName(shot: Shot, width: Width): string {
  if (shot.name === "overview" && width === 1280) return "overview.png";
  return `${shot.name}-${width}.png`;
}

const chartsDrawn = async (page: Page) => {
  await page.locator(".recharts-surface").first().waitFor({ state: "visible" });
};

/** The table rows at 1280 px, the cards on a phone. */
const listShown = async (page: Page) => {
  await page.locator("[data-testid=call-list-row], [data-testid=call-list-cards] li").filter({ visible: true }).first().waitFor();
};

/** The account with the largest drop (the first of everyone's Score drops), with notes and contacts like a worked account. */
async function workedAccount(page: Page): Promise<string> {
  const response = await page.request.get("/api/accounts?list=drops&manager=all");
  if (!response.ok()) throw new Error(`GET /api/accounts failed: HTTP ${response.status()}`);
  const body = (await response.json()) as { data?: { rows: { id: number }[] }; rows?: { id: number }[] };
  const rows = body.data?.rows ?? body.rows ?? [];
  const id = rows[0]?.id;
  if (id === undefined) throw new Error("The demo has no declining account to show");
  const activity = await page.request.get(`/api/accounts/${id}/activity`);
  const text = await activity.text();
  if (!text.includes("migrating data warehouses")) {
    const post = async (url: string, data: unknown) => {
      const r = await page.request.post(url, { data, headers: { origin } });
      if (!r.ok()) throw new Error(`POST ${url} failed: HTTP ${r.status()} ${await r.text()}`);
    };
    await post(`/api/accounts/${id}/contacts`, { outcome: "voicemail", note: "Left a message for the ops lead about the drop in sessions." });
    await post(`/api/accounts/${id}/notes`, { body: "Their champion moved to another team last month; the new owner has not logged in yet. Offer an onboarding session." });
    await post(`/api/accounts/${id}/contacts`, { outcome: "reached", note: "Spoke with the ops lead: they are migrating data warehouses, usage should recover next month. Follow up in two weeks." });
  }
  return `/accounts/${id}`;
}

/** The weights editor with the Insights suggestion loaded (the editor alone when none is offered). */
async function suggestionInEditor(page: Page): Promise<string> {
  await page.goto("/insights");
  const link = page.getByRole("link", { name: /Load into the weights editor/ });
  // The suggestion is fitted after the page loads; either it offers something to load or it says why not.
  await link.or(page.getByTestId("suggestion-nothing-to-load")).first().waitFor({ timeout: 120_000 });
  if ((await link.count()) === 0) return "/admin/weights";
  return (await link.first().getAttribute("href")) ?? "/admin/weights";
}

const DEMO_SHOTS: Shot[] = [
  { name: "overview", role: "admin", path: "/", ready: chartsDrawn },
  // A manager's first screen: their own book, counts saying so.
  { name: "accounts", role: "manager", path: "/accounts", ready: listShown },
  { name: "accounts-low", role: "admin", path: "/accounts?list=low", ready: (p) => p.getByTestId("churn-breakdown").waitFor() },
  { name: "account", role: "manager", path: workedAccount, ready: chartsDrawn },
  {
    name: "segments",
    role: "admin",
    path: "/segments",
    ready: (p) => p.locator("[data-testid=segments-table], [data-testid^=segment-card-]").filter({ visible: true }).first().waitFor(),
  },
  { name: "trends", role: "admin", path: "/trends", ready: chartsDrawn },
  { name: "compare", role: "admin", path: "/trends/compare", ready: chartsDrawn },
  { name: "insights", role: "admin", path: "/insights", ready: chartsDrawn },
  { name: "weights-suggestion", role: "admin", path: suggestionInEditor },
  { name: "admin-import", role: "admin", path: "/admin/import" },
  { name: "admin-keys", role: "admin", path: "/admin/keys" },
  { name: "admin-tags", role: "admin", path: "/admin/tags" },
  { name: "users", role: "admin", path: "/admin/users" },
  { name: "audit", role: "admin", path: "/admin/audit" },
  { name: "sign-in", role: "signed-out", path: "/sign-in" },
];

const EMPTY_SHOTS: Shot[] = [{ name: "setup", role: "signed-out", path: "/setup" }];

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed (${result.status ?? result.signal})`);
}

async function startServer(databasePath: string): Promise<ChildProcess> {
  const server = spawn(path.resolve("node_modules/.bin/next"), nextStartArgs(args.port, "127.0.0.1"), {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", DATABASE_PATH: databasePath, AUTH_SECRET: randomBytes(32).toString("base64"), AUTH_URL: origin },
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`The server exited (${server.exitCode}); is port ${args.port} free?`);
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("The server did not start within two minutes");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  sessions.clear();
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** Each role signs in once per server (sign-in attempts are rate-limited), and every picture reuses the session. */
const sessions = new Map<string, Promise<StorageState>>();

async function signedIn(browser: Browser, role: Exclude<Shot["role"], "signed-out">): Promise<StorageState> {
  let state = sessions.get(role);
  if (!state) {
    state = (async () => {
      const context = await browser.newContext({ baseURL: origin });
      try {
        const user = demoUser(role);
        const response = await context.request.post("/api/auth/sign-in/email", { data: { email: user.email, password: user.password }, headers: { origin } });
        if (!response.ok()) throw new Error(`Signing in as ${user.email} failed: HTTP ${response.status()} ${await response.text()}`);
        return await context.storageState();
      } finally {
        await context.close();
      }
    })();
    sessions.set(role, state);
  }
  return state;
}

async function contextFor(browser: Browser, role: Shot["role"], width: Width): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: origin,
    viewport: { width, height: width === 390 ? 844 : 900 },
    deviceScaleFactor: 1,
    isMobile: width === 390,
    hasTouch: width === 390,
    locale: "en-GB",
    timezoneId: "UTC",
    storageState: role === "signed-out" ? undefined : await signedIn(browser, role),
  });
}

async function take(browser: Browser, shots: readonly Shot[]): Promise<string[]> {
  const written: string[] = [];
  for (const shot of shots) {
    if (args.only && !args.only.has(shot.name)) continue;
    for (const width of WIDTHS) {
      const context = await contextFor(browser, shot.role, width);
      try {
        const page = await context.newPage();
        const target = typeof shot.path === "string" ? shot.path : await shot.path(page);
        await page.goto(target);
        await page.waitForLoadState("networkidle");
        if (shot.ready) await shot.ready(page);
        // Fonts and charts settle (recharts measures its container after the first paint).
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(400);
        const file = path.join(OUT, fileName(shot, width));
        await page.screenshot({ path: file, fullPage: shot.fullPage ?? true });
        written.push(path.relative(process.cwd(), file));
        console.log(`  ${path.relative(process.cwd(), file)}  (${target})`);
      } finally {
        await context.close();
      }
    }
  }
  return written;
}

async function main(): Promise<void> {
  if (args.build) run(path.resolve("node_modules/.bin/next"), ["build"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ces-screenshots-"));
  const executablePath = process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  fs.mkdirSync(OUT, { recursive: true });
  try {
    const empty = path.join(dir, "empty.db");
    openDatabase(empty).sqlite.close();
    let server = await startServer(empty);
    try {
      await take(browser, EMPTY_SHOTS);
    } finally {
      await stopServer(server);
    }

    const demo = path.join(dir, "demo.db");
    const db = openDatabase(demo);
    console.log("Seeding the default demo…");
    seedDemoData(db, { accounts: 2000, seed: 42, today: todayDay() });
    await seedDemoUsers(new SqliteDb(db.sqlite, db.file));
    db.sqlite.close();
    server = await startServer(demo);
    try {
      await take(browser, DEMO_SHOTS);
    } finally {
      await stopServer(server);
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
