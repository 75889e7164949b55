import { z } from "zod";

/**
 * Sign-in configuration from the environment, validated once. Production refuses to start
 * without AUTH_SECRET: it signs session cookies, and a secret in the repository would let
 * anyone who reads it forge them.
 */
export interface AuthConfig {
  secret: string;
  /** The public origin (AUTH_URL), or undefined to take it from each request. */
  baseURL: string | undefined;
  /** Cookies carry `Secure` (and the __Secure- prefix): AUTH_URL is https, or production without AUTH_URL. */
  secureCookies: boolean;
  /** Sign-in attempts allowed per client IP per minute. */
  signInAttemptsPerMinute: number;
}

/** Only for development and tests, never accepted in production. */
export const DEVELOPMENT_SECRET = "ces-development-only-secret-never-use-in-production";

const emptyAsUndefined = (v: unknown) => (v === "" ? undefined : v);

const authEnvSchema = z.object({
  NODE_ENV: z.string().optional(),
  AUTH_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, "AUTH_SECRET must be at least 32 characters; generate one with `openssl rand -base64 32`").optional(),
  ),
  AUTH_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, message: "AUTH_URL must be an http(s) URL such as https://ces.example.com" })
      .transform((u) => new URL(u).origin)
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
    throw new AuthConfigError(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const { NODE_ENV, AUTH_SECRET, AUTH_URL, AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE } = parsed.data;
  const production = NODE_ENV === "production";
  if (production && !AUTH_SECRET) {
    throw new AuthConfigError(
      "AUTH_SECRET is not set. Production refuses to start without it: set AUTH_SECRET to a random value of at least 32 characters (e.g. `openssl rand -base64 32`).",
    );
  }
  if (production && AUTH_SECRET === DEVELOPMENT_SECRET) {
    throw new AuthConfigError("AUTH_SECRET is the development placeholder; set a random secret in production.");
  }
  return {
    secret: AUTH_SECRET ?? DEVELOPMENT_SECRET,
    baseURL: AUTH_URL,
    secureCookies: AUTH_URL ? AUTH_URL.startsWith("https://") : production,
    signInAttemptsPerMinute: AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE,
  };
}
