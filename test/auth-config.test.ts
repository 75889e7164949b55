import { describe, expect, it } from "vitest";
import { authConfigFromEnv, AuthConfigError, DEVELOPMENT_SECRET } from "@/lib/auth/server/auth-config";

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

  it("marks cookies Secure for an https AUTH_URL only", () => {
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_URL: "https://ces.example.com/x" })).toMatchObject({
      baseURL: "https://ces.example.com",
      secureCookies: true,
    });
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_URL: "http://localhost:3000" }).secureCookies).toBe(false);
    // The demo: plain http at whatever address it was opened.
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_TRUST_HOST: "true" }).secureCookies).toBe(false);
    expect(authConfigFromEnv({ NODE_ENV: "development" }).secureCookies).toBe(false);
  });

  it("refuses production without a stated origin, saying what to set", () => {
    expect(() => authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET })).toThrow(/AUTH_URL is not set.*AUTH_TRUSTED_ORIGINS.*AUTH_TRUST_HOST=true/);
    expect(() => authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_TRUST_HOST: "false" })).toThrow(/AUTH_URL is not set/);
  });

  it("trusts AUTH_URL and AUTH_TRUSTED_ORIGINS in production, and nothing else", () => {
    const config = authConfigFromEnv({
      NODE_ENV: "production",
      AUTH_SECRET: SECRET,
      AUTH_URL: "https://ces.example.com",
      AUTH_TRUSTED_ORIGINS: "https://ces.internal.example.com, http://10.0.0.5:3000/ https://ces.example.com",
    });
    expect(config.originPolicy).toEqual({
      origins: ["https://ces.example.com", "https://ces.internal.example.com", "http://10.0.0.5:3000"],
      trustRequestHost: false,
    });
    expect(() => authConfigFromEnv({ AUTH_TRUSTED_ORIGINS: "ces.example.com" })).toThrow(/AUTH_TRUSTED_ORIGINS: "ces.example.com" is not an http\(s\) address/);
    expect(() => authConfigFromEnv({ AUTH_TRUSTED_ORIGINS: "https://ces.example.com/app" })).toThrow(/without a path/);
  });

  it("trusts the request's own address in development, or when told to (the demo)", () => {
    expect(authConfigFromEnv({ NODE_ENV: "development" }).originPolicy).toEqual({ origins: [], trustRequestHost: true });
    expect(authConfigFromEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_TRUST_HOST: "true" }).originPolicy).toEqual({ origins: [], trustRequestHost: true });
    // AUTH_URL stated: only it, unless AUTH_TRUST_HOST says otherwise.
    expect(authConfigFromEnv({ NODE_ENV: "development", AUTH_URL: "http://localhost:3000" }).originPolicy.trustRequestHost).toBe(false);
    expect(() => authConfigFromEnv({ AUTH_TRUST_HOST: "maybe" })).toThrow(/AUTH_TRUST_HOST must be true or false/);
  });

  it("believes no proxy by default, and the TRUSTED_PROXIES it is given", () => {
    expect(authConfigFromEnv({}).trustedProxies.entries).toEqual([]);
    expect(authConfigFromEnv({ TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8 ::1" }).trustedProxies.entries).toEqual(["127.0.0.1", "10.0.0.0/8", "::1"]);
    expect(() => authConfigFromEnv({ TRUSTED_PROXIES: "localhost" })).toThrow(/TRUSTED_PROXIES: "localhost" is not an IP address or CIDR range/);
    expect(() => authConfigFromEnv({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
  });

  it("validates AUTH_URL and the sign-in limit", () => {
    expect(() => authConfigFromEnv({ AUTH_URL: "ftp://x" })).toThrow(/AUTH_URL/);
    expect(() => authConfigFromEnv({ AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "0" })).toThrow(/at least 1/);
    expect(authConfigFromEnv({}).signInAttemptsPerMinute).toBe(10);
    expect(authConfigFromEnv({ AUTH_SIGN_IN_ATTEMPTS_PER_MINUTE: "25" }).signInAttemptsPerMinute).toBe(25);
  });
});
