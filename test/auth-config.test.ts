import { describe, expect, it } from "vitest";
import { authConfigFromEnv, AuthConfigError, DEVELOPMENT_SECRET } from "@/lib/server/auth-config";

const SECRET = "x".repeat(40);

describe("sign-in configuration", () => {
  it("refuses production without AUTH_SECRET", () => {
    expect(() => authConfigFromEnv({ NODE_ENV: "production" })).toThrow(AuthConfigError);
    expect(() => authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: "" })).toThrow(/AUTH_SECRET is not set/);
    expect(() => authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: DEVELOPMENT_SECRET })).toThrow(/placeholder/);
  });

  it("refuses a short secret anywhere", () => {
    expect(() => authConfigFromEnv({ NODE_ENV: "development", AUTH_SECRET: "too-short" })).toThrow(/at least 32 characters/);
  });

  it("uses a development secret outside production", () => {
    expect(authConfigFromEnv({ NODE_ENV: "test" }).secret).toBe(DEVELOPMENT_SECRET);
  });

  it("marks cookies Secure for an https AUTH_URL, or in production without one", () => {
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_URL: "https://ces.example.com/x" })).toMatchObject({
      baseURL: "https://ces.example.com",
      secureCookies: true,
    });
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_URL: "http://localhost:3000" }).secureCookies).toBe(false);
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET }).secureCookies).toBe(true);
    expect(authConfigFromEnv({ NODE_ENV: "development" }).secureCookies).toBe(false);
  });

  it("validates AUTH_URL and the sign-in limit", () => {
    expect(() => authConfigFromEnv({ AUTH_URL: "ftp://x" })).toThrow(/AUTH_URL/);
    expect(() => authConfigFromEnv({ AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "0" })).toThrow(/at least 1/);
    expect(authConfigFromEnv({}).signInAttemptsPerMinute).toBe(10);
    expect(authConfigFromEnv({ AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "25" }).signInAttemptsPerMinute).toBe(25);
  });
});
