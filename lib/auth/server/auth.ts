import "server-only";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { getDb, legacyDatabaseOn } from "@/db";
import type { Db } from "@/db/client";
import type { Columns } from "@/db/rows";
import { postgresClientOf } from "@/db/postgres-client";
import * as sqliteSchema from "@/db/schema";
import * as postgresSchema from "@/db/schema-postgres";
import { sqliteConnectionOf } from "@/db/sqlite-client";
import { trustedOrigins } from "../origin-policy";
import { serverAuthConfig, type AuthConfig } from "./auth-config";
import { requestHost } from "@/lib/http/server/edge";
import { PASSWORD_RULES } from "../users-validation";
import { clearSignInFailures, releaseSignInAttempt, reserveSignInAttempt } from "./sign-in-throttle";

const SIGN_IN_PATH = "/sign-in/email";

function emailFromBody(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("email" in body)) return null;
  return typeof body.email === "string" ? body.email : null;
}

/**
 * better-auth's storage: its drizzle adapter on the database the product runs on. On SQLite,
 * drizzle over the process's one connection; on PostgreSQL, drizzle's node-postgres driver over
 * the data layer's own pool, with the PostgreSQL twins of the same tables. Sessions, the
 * per-address rate limits (storage "database") and the per-email sign-in throttle all live in
 * that database, so with several app servers on one PostgreSQL they hold across the servers.
 */
function authStorage(db: Db) {
  const pool = postgresClientOf(db);
  if (pool) {
    const s = postgresSchema;
    return drizzleAdapter(drizzlePostgres({ client: pool, schema: s }), {
      provider: "pg",
      schema: { user: s.users, session: s.sessions, authAccount: s.authAccounts, verification: s.verifications, rateLimit: s.rateLimits },
    });
  }
  const sqlite = sqliteConnectionOf(db);
  if (!sqlite) throw new Error("better-auth needs the database itself, not a transaction on it");
  const s = sqliteSchema;
  return drizzleAdapter(legacyDatabaseOn(sqlite).orm, {
    provider: "sqlite",
    schema: { user: s.users, session: s.sessions, authAccount: s.authAccounts, verification: s.verifications, rateLimit: s.rateLimits },
  });
}

/**
 * The better-auth instance on our database. Only what we use is on: email + password
 * sign-in (no self sign-up: administrators create users), sign-out, session lookup and
 * password change. Sessions live in the database and are looked up on every request (no
 * cookie cache), so deactivating a user or revoking sessions takes effect at once.
 */
export function createAuth(db: Db, config: AuthConfig) {
  return betterAuth({
    appName: "Customer Engagement Score",
    secret: config.secret,
    baseURL: config.baseURL,
    basePath: "/api/auth",
    // One origin rule for everything a session can do (lib/auth/origin-policy.ts).
    trustedOrigins: (request?: Request) =>
      trustedOrigins(config.originPolicy, request ? (requestHost(request.headers) ?? new URL(request.url).host) : null),
    database: authStorage(db),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: PASSWORD_RULES.min,
      maxPasswordLength: PASSWORD_RULES.max,
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      modelName: "user",
      additionalFields: {
        // Set by administrators only (input: false keeps them out of any user-supplied body).
        role: { type: "string", required: true, defaultValue: "viewer", input: false },
        accountManagerName: { type: "string", required: false, input: false },
        deactivatedAt: { type: "date", required: false, input: false },
      },
    },
    session: {
      modelName: "session",
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      cookieCache: { enabled: false },
    },
    account: { modelName: "authAccount" },
    verification: { modelName: "verification" },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 120,
      customRules: {
        [SIGN_IN_PATH]: { window: 60, max: config.signInAttemptsPerMinute },
        "/change-password": { window: 60, max: 5 },
      },
    },
    advanced: {
      useSecureCookies: config.secureCookies,
      // X-Forwarded-For holds the one client address lib/http/server/edge.ts resolved (TRUSTED_PROXIES).
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
      cookiePrefix: "ces",
      database: { generateId: () => crypto.randomUUID() },
    },
    // Endpoints this product does not offer: users are managed by administrators.
    disabledPaths: ["/sign-up/email", "/update-user", "/change-email", "/delete-user", "/request-password-reset", "/reset-password"],
    telemetry: { enabled: false },
    databaseHooks: {
      session: {
        create: {
          // The one gate every new session passes: a deactivated user never gets one.
          before: async (session) => {
            const row = await db.get<Columns<typeof sqliteSchema.users, "deactivatedAt">>(sql`SELECT deactivated_at AS "deactivatedAt" FROM users WHERE id = ${session.userId}`);
            if (!row || row.deactivatedAt !== null) {
              throw new APIError("FORBIDDEN", {
                code: "USER_DEACTIVATED",
                message: "This user has been deactivated. Ask an administrator to reactivate it.",
              });
            }
          },
        },
      },
    },
    hooks: {
      // The per-email limit: checked and counted in one step before the password is (lib/auth/server/sign-in-throttle.ts).
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const email = emailFromBody(ctx.body);
        if (!email) return;
        const reservation = await reserveSignInAttempt(db, email);
        if (!reservation.allowed) {
          throw new APIError("TOO_MANY_REQUESTS", {
            code: "SIGN_IN_LOCKED",
            message: `Too many failed sign-ins for this email. Try again in ${Math.ceil(reservation.remainingMs / 60_000)} minutes.`,
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const email = emailFromBody(ctx.body);
        if (!email) return;
        const returned = ctx.context.returned;
        if (ctx.context.newSession) await clearSignInFailures(db, email);
        // A wrong password (or unknown email) stays counted; anything else was not a guess.
        else if (!isAPIError(returned) || returned.statusCode !== 401) await releaseSignInAttempt(db, email);
      }),
    },
    // Must stay last: lets server actions and route handlers set the session cookie.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { cesAuth?: Promise<Auth> };

/** The process-wide instance on the process's database (getDb()), configured from the environment on first use. */
export function getAuth(): Promise<Auth> {
  globalForAuth.cesAuth ??= getDb().then(
    (db) => createAuth(db, serverAuthConfig()),
    (error: unknown) => {
      globalForAuth.cesAuth = undefined;
      throw error;
    },
  );
  return globalForAuth.cesAuth;
}
