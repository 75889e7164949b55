import { describe, expect, it } from "vitest";
import { checkOrigin, parseOriginList, requestHostOrigins, trustedOrigins, type OriginFacts, type OriginPolicy } from "./origin-policy";

const production: OriginPolicy = { origins: ["https://ces.example.com", "http://10.0.0.5:3000"], trustRequestHost: false };
const demo: OriginPolicy = { origins: [], trustRequestHost: true };

function facts(partial: Partial<OriginFacts>): OriginFacts {
  return { origin: null, referer: null, host: null, secFetchSite: null, ...partial };
}

describe("the origin policy", () => {
  it("lets the demo be used at whatever address it was opened", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3000", "192.168.1.20:3000", "[::1]:3000", "ces-demo.lan:3000"]) {
      expect(checkOrigin(demo, facts({ origin: `http://${host}`, host, secFetchSite: "same-origin" }))).toEqual({ ok: true });
    }
  });

  it("refuses, in the demo too, a page of another site calling the address (its Origin is not the Host)", () => {
    const verdict = checkOrigin(demo, facts({ origin: "http://evil.example", host: "127.0.0.1:3000" }));
    expect(verdict).toMatchObject({ ok: false, code: "cross_origin" });
    expect(verdict.ok ? "" : verdict.message).toContain("http://evil.example");
    // Another port of the same machine is another origin.
    expect(checkOrigin(demo, facts({ origin: "http://127.0.0.1:4000", host: "127.0.0.1:3000" })).ok).toBe(false);
  });

  it("trusts only the stated origins in production, and says which address to use", () => {
    expect(checkOrigin(production, facts({ origin: "https://ces.example.com", host: "ces.example.com" })).ok).toBe(true);
    expect(checkOrigin(production, facts({ origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000" })).ok).toBe(true);
    const verdict = checkOrigin(production, facts({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000", secFetchSite: "same-origin" }));
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.message).toBe(
      "This server accepts requests from https://ces.example.com, http://10.0.0.5:3000 only, and this one came from http://127.0.0.1:3000. " +
        "Open the app at https://ces.example.com, or ask your administrator to add http://127.0.0.1:3000 to AUTH_TRUSTED_ORIGINS.",
    );
  });

  it("refuses what a browser says is cross-site or same-site, and an opaque Origin", () => {
    expect(checkOrigin(demo, facts({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000", secFetchSite: "cross-site" })).ok).toBe(false);
    expect(checkOrigin(production, facts({ origin: "https://app.example.com", host: "ces.example.com", secFetchSite: "same-site" })).ok).toBe(false);
    expect(checkOrigin(production, facts({ origin: "null", host: "ces.example.com" })).ok).toBe(false);
  });

  it("falls back to the Referer without an Origin, and lets a request with neither through (no browser sends that cross-site)", () => {
    expect(checkOrigin(production, facts({ referer: "https://ces.example.com/accounts?x=1", host: "ces.example.com" })).ok).toBe(true);
    expect(checkOrigin(production, facts({ referer: "https://evil.example/page", host: "ces.example.com" })).ok).toBe(false);
    expect(checkOrigin(production, facts({ host: "ces.example.com" })).ok).toBe(true);
  });

  it("compares origins, not strings: default ports and letter case do not matter, paths and lookalikes do", () => {
    expect(checkOrigin(production, facts({ origin: "HTTPS://CES.EXAMPLE.COM:443" })).ok).toBe(true);
    expect(checkOrigin(production, facts({ origin: "https://ces.example.com.evil.example" })).ok).toBe(false);
    expect(checkOrigin(production, facts({ origin: "https://evil-ces.example.com" })).ok).toBe(false);
  });

  it("lists the trusted origins for a host, ignoring a host that is not one", () => {
    expect(trustedOrigins(demo, "127.0.0.1:3000")).toEqual(["http://127.0.0.1:3000", "https://127.0.0.1:3000"]);
    expect(trustedOrigins(production, "127.0.0.1:3000")).toEqual(["https://ces.example.com", "http://10.0.0.5:3000"]);
    expect(requestHostOrigins("evil.example/path")).toEqual([]);
    expect(requestHostOrigins("a b")).toEqual([]);
    expect(requestHostOrigins(null)).toEqual([]);
  });

  it("parses a configured list of origins, naming a bad entry", () => {
    expect(parseOriginList("https://a.example.com, http://10.0.0.5:3000/\nhttps://a.example.com")).toEqual({ origins: ["https://a.example.com", "http://10.0.0.5:3000"] });
    expect(parseOriginList("ftp://x.example")).toEqual({ error: expect.stringContaining("ftp://x.example") });
    expect(parseOriginList("https://a.example.com/app")).toEqual({ error: expect.stringContaining("without a path") });
  });
});
