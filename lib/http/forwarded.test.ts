import { describe, expect, it } from "vitest";
import { clientAddress, isTrustedProxy, NO_TRUSTED_PROXIES, normaliseAddress, parseTrustedProxies, type TrustedProxies } from "./forwarded";

function proxies(text: string): TrustedProxies {
  const parsed = parseTrustedProxies(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.proxies;
}

describe("the client address", () => {
  it("is the connection's peer when no proxy is trusted (the default): X-Forwarded-For is whatever the sender wrote", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.99", NO_TRUSTED_PROXIES)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:127.0.0.1", "1.2.3.4, 5.6.7.8", NO_TRUSTED_PROXIES)).toBe("127.0.0.1");
  });

  it("is the peer when the peer is not one of the trusted proxies", () => {
    expect(clientAddress("198.51.100.7", "203.0.113.99", proxies("127.0.0.1"))).toBe("198.51.100.7");
  });

  it("is read from the end of the chain past every trusted proxy", () => {
    const trusted = proxies("127.0.0.1, 10.0.0.0/8");
    // nginx on 127.0.0.1 appended the address it got the request from.
    expect(clientAddress("127.0.0.1", "203.0.113.5", trusted)).toBe("203.0.113.5");
    // The sender wrote a made-up first entry: only what the proxies added counts.
    expect(clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5", trusted)).toBe("203.0.113.5");
    // Two trusted hops.
    expect(clientAddress("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3", trusted)).toBe("203.0.113.5");
    // A proxy that sent no header: the proxy itself is all we know.
    expect(clientAddress("127.0.0.1", null, trusted)).toBe("127.0.0.1");
    // An unreadable entry where the chain must be believed: the last hop we can vouch for.
    expect(clientAddress("127.0.0.1", "garbage", trusted)).toBe("127.0.0.1");
  });

  it("matches IPv4 and IPv6 ranges and mapped addresses", () => {
    const trusted = proxies("10.0.0.0/8 fd00::/8 ::1");
    expect(isTrustedProxy(trusted, "10.200.3.4")).toBe(true);
    expect(isTrustedProxy(trusted, "11.0.0.1")).toBe(false);
    expect(isTrustedProxy(trusted, "fd12::1")).toBe(true);
    expect(isTrustedProxy(trusted, "::1")).toBe(true);
    expect(isTrustedProxy(trusted, "::ffff:10.0.0.1")).toBe(true);
    expect(normaliseAddress("[::1]")).toBe("::1");
  });

  it("refuses entries that are not addresses or ranges", () => {
    for (const bad of ["localhost", "10.0.0.0/33", "10.0.0.1/8/1", "1.2.3", "::1/129", "10.0.0.0/x"]) {
      expect(parseTrustedProxies(bad)).toEqual({ error: expect.stringContaining(bad) });
    }
  });
});
