import { describe, expect, it } from "vitest";
import { destinationUrlProblem, outboundPolicyFromEnv, redactedUrl } from "./outbound";

describe("destination URLs", () => {
  const strict = { allowInsecure: false, allowPrivateNetworks: false };
  it("need https unless plain http is allowed", () => {
    expect(destinationUrlProblem("https://hooks.slack.com/services/T/B/X", strict)).toBeNull();
    expect(destinationUrlProblem("http://crm.internal/hooks", strict)).toMatch(/^must use https:\/\//);
    expect(destinationUrlProblem("http://127.0.0.1:9000/hooks", { allowInsecure: true, allowPrivateNetworks: true })).toBeNull();
  });

  it("refuse what is not a plain web address", () => {
    expect(destinationUrlProblem("hooks.slack.com/x", strict)).toMatch(/^must be a full URL/);
    expect(destinationUrlProblem("ftp://example.com/x", strict)).toBe("must start with https://");
    expect(destinationUrlProblem("https://user:pw@example.com/x", strict)).toBe("must not contain a user name or password");
    expect(destinationUrlProblem("https://example.com/x#frag", strict)).toBe("must not contain a #fragment");
    expect(destinationUrlProblem(`https://example.com/${"x".repeat(2_000)}`, strict)).toMatch(/^must be at most/);
  });

  it("are shown without their secret parts", () => {
    expect(redactedUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET")).toBe("https://hooks.slack.com/services/T000/…");
    expect(redactedUrl("https://crm.example.com/hooks?token=abc")).toBe("https://crm.example.com/hooks");
  });

  it("follow ALERTS_ALLOW_HTTP", () => {
    expect(outboundPolicyFromEnv({ ALERTS_ALLOW_HTTP: "true" })).toEqual({ allowInsecure: true, allowPrivateNetworks: false });
    expect(outboundPolicyFromEnv({ ALERTS_ALLOW_PRIVATE_NETWORKS: "true" })).toEqual({ allowInsecure: false, allowPrivateNetworks: true });
    expect(outboundPolicyFromEnv({})).toEqual({ allowInsecure: false, allowPrivateNetworks: false });
  });
});
