import "server-only";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { getDatabase, type Database } from "@/db";
import { authAccounts, rateLimits, sessions, users, verifications } from "@/db/schema";
import { authConfigFromEnv, type AuthConfig } from "./auth-config";
import { PASSWORD_RULES } from "../users-validation";
import { clearSignInFailures, recordSignInFailure, signInLockRemaining } from "./sign-in-throttle";

const SIGN_IN_PATH = "/sign-in/email";

function emailFromBody(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("email" in body)) return null;
  return typeof body.email === "string" ? body.email : null;
}

/**
 * The better-auth instance on our SQLite database. Only what we use is on: email + password
 * sign-in (no self sign-up: administrators create users), sign-out, session lookup and
 * password change. Sessions live in the database and are looked up on every request (no
 * cookie cache), so deactivating a user or revoking sessions takes effect at once.
 */
export function createAuth(db: Database, config: AuthConfig) {
  return betterAuth({
    appName: "Customer Engagement Score",
    secret: config.secret,
    baseURL: config.baseURL,
    basePath: "/api/auth",
    database: drizzleAdapter(db.orm, {
      provider: "sqlite",
      schema: { user: users, session: sessions, authAccount: authAccounts, verification: verifications, rateLimit: rateLimits },
    }),
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
            const row = db.sqlite.prepare("SELECT deactivated_at FROM users WHERE id = ?").get(session.userId) as
              | { deactivated_at: number | null }
              | undefined;
            if (!row || row.deactivated_at !== null) {
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
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const email = emailFromBody(ctx.body);
        if (!email) return;
        const remaining = signInLockRemaining(db, email);
        if (remaining > 0) {
          throw new APIError("TOO_MANY_REQUESTS", {
            code: "SIGN_IN_LOCKED",
            message: `Too many failed sign-ins for this email. Try again in ${Math.ceil(remaining / 60_000)} minutes.`,
          });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== SIGN_IN_PATH) return;
        const email = emailFromBody(ctx.body);
        if (!email) return;
        const returned = ctx.context.returned;
        if (isAPIError(returned)) {
          if (returned.statusCode === 401) recordSignInFailure(db, email);
        } else if (ctx.context.newSession) {
          clearSignInFailures(db, email);
        }
      }),
    },
    // Must stay last: lets server actions and route handlers set the session cookie.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { cesAuth?: Auth };

/** The process-wide instance, configured from the environment on first use. */
export function getAuth(): Auth {
  globalForAuth.cesAuth ??= createAuth(getDatabase(), authConfigFromEnv());
  return globalForAuth.cesAuth;
}
