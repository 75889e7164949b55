import { z } from "zod";
import { NO_TRUSTED_PROXIES, parseTrustedProxies, type TrustedProxies } from "@/lib/http/forwarded";
import { originOf, parseOriginList, type OriginPolicy } from "../origin-policy";

/**
 * Sign-in configuration from the environment, validated once. Production refuses to start
 * without AUTH_SECRET (it signs session cookies: a secret in the repository would let anyone
 * who reads it forge them) and without stating the address it serves (AUTH_URL), unless it is
 * told to trust whatever address it was reached at (AUTH_TRUST_HOST=true: the demo).
 */
export interface AuthConfig {
  secret: string;
  /** The public origin (AUTH_URL), or undefined to take it from each request. */
  baseURL: string | undefined;
  /** Cookies carry `Secure` (and the __Secure- prefix): AUTH_URL is https. */
  secureCookies: boolean;
  /** Sign-in attempts allowed per client IP per minute. */
  signInAttemptsPerMinute: number;
  /** Which origins may act with a session (lib/auth/origin-policy.ts). */
  originPolicy: OriginPolicy;
  /** Reverse proxies whose X-Forwarded-* headers are believed (TRUSTED_PROXIES); none by default. */
  trustedProxies: TrustedProxies;
}

/** Only for development and tests, never accepted in production. */
export const DEVELOPMENT_SECRET = "ces-development-only-secret-never-use-in-production";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const booleanSetting = (name: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .pipe(z.enum(["true", "false", "1", "0", "yes", "no"], { error: `${name} must be true or false` }))
      .transform((v) => v === "true" || v === "1" || v === "yes")
      .optional(),
  );

const authEnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "AUTH_SECRET must be at least 32 characters; generate one with `openssl rand -base64 32`").optional(),
  ),
  AUTH_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, ctx) => {
        // Only the origin is used; a path after it (accepted before) is ignored.
        const origin = originOf(value);
        if (origin !== null) return origin;
        ctx.addIssue({ code: "custom", message: "AUTH_URL must be an http(s) URL such as https://ces.example.com" });
        return z.NEVER;
      })
      .optional(),
  ),
  AUTH_TRUSTED_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, ctx) => {
        const parsed = parseOriginList(value);
        if ("origins" in parsed) return parsed.origins;
        ctx.addIssue({ code: "custom", message: `AUTH_TRUSTED_ORIGINS: ${parsed.error}` });
        return z.NEVER;
      })
      .optional(),
  ),
  AUTH_TRUST_HOST: booleanSetting("AUTH_TRUST_HOST"),
  TRUSTED_PROXIES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, ctx) => {
        const parsed = parseTrustedProxies(value);
        if ("proxies" in parsed) return parsed.proxies;
        ctx.addIssue({ code: "custom", message: `TRUSTED_PROXIES: ${parsed.error}` });
        return z.NEVER;
      })
      .optional(),
  ),
  AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int("AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE must be a whole number")
      .min(1, "AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE must be at least 1")
      .max(100_000)
      .default(10),
  ),
});

export class AuthConfigError extends Error {
  override name = "AuthConfigError";
}

export function authConfigFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): AuthConfig {
  const parsed = authEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AuthConfigError(`Invalid environment: ${parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ")}`);
  }
  const { NODE_ENV, AUTH_SECRET, AUTH_URL, AUTH_TRUSTED_ORIGINS, AUTH_TRUST_HOST, TRUSTED_PROXIES, AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE } = parsed.data;
  const production = NODE_ENV === "production";
  if (production && !AUTH_SECRET) {
    throw new AuthConfigError(
      "AUTH_SECRET is not set. Production refuses to start without it: set AUTH_SECRET to a random value of at least 32 characters (e.g. `openssl rand -base64 32`).",
    );
  }
  if (production && AUTH_SECRET === DEVELOPMENT_SECRET) {
    throw new AuthConfigError("AUTH_SECRET is the development placeholder; set a random secret in production.");
  }
  // Outside production (next dev, tests) an unset AUTH_URL means "the address each request was made to".
  const trustRequestHost = AUTH_TRUST_HOST ?? (!production && !AUTH_URL);
  if (production && !AUTH_URL && !trustRequestHost) {
    throw new AuthConfigError(
      "AUTH_URL is not set. A production server states the address it is served at: set AUTH_URL (e.g. https://ces.example.com) " +
        "and, for further addresses of the same server, AUTH_TRUSTED_ORIGINS (comma-separated). " +
        "Only for a demo on a private network, AUTH_TRUST_HOST=true accepts whatever address a request was made to.",
    );
  }
  const origins = [...(AUTH_URL ? [AUTH_URL] : []), ...(AUTH_TRUSTED_ORIGINS ?? []).filter((o) => o !== AUTH_URL)];
  return {
    secret: AUTH_SECRET ?? DEVELOPMENT_SECRET,
    baseURL: AUTH_URL,
    secureCookies: AUTH_URL ? AUTH_URL.startsWith("https://") : false,
    signInAttemptsPerMinute: AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE,
    originPolicy: { origins, trustRequestHost },
    trustedProxies: TRUSTED_PROXIES ?? NO_TRUSTED_PROXIES,
  };
}

/** The process's configuration, parsed on first use (the server checks it at start-up). */
export function serverAuthConfig(): AuthConfig {
  const global = globalThis as unknown as { cesAuthConfig?: AuthConfig };
  global.cesAuthConfig ??= authConfigFromEnv();
  return global.cesAuthConfig;
}
