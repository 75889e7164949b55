import { BlockList, isIP } from "node:net";

/**
 * Who the client is when reverse proxies may stand in between (TRUSTED_PROXIES). A proxy
 * appends the address it got the request from to X-Forwarded-For, so the header is a chain
 * "client, proxy1, proxy2" of which only the entries added by proxies we trust are true: the
 * rest was written by whoever sent the request. The client is the last address, reading from
 * the connection's own peer backwards, that is not a trusted proxy. With no trusted proxies
 * (the default) the header is ignored and the client is the connection's peer.
 */

export interface TrustedProxies {
  /** The entries as configured (for messages and the README). */
  readonly entries: readonly string[];
  readonly list: BlockList;
}

/** "::ffff:127.0.0.1" (an IPv4 peer on a dual-stack socket) → "127.0.0.1". */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return (mapped?.[1] ?? trimmed).toLowerCase();
}

/** Parses "127.0.0.1, 10.0.0.0/8, ::1": IP addresses or CIDR ranges, comma- or space-separated. */
export function parseTrustedProxies(text: string): { proxies: TrustedProxies } | { error: string } {
  const list = new BlockList();
  const entries: string[] = [];
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [address = "", prefixText, extra] = entry.split("/");
    const ip = normaliseAddress(address);
    const family = isIP(ip);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    const maxPrefix = family === 6 ? 128 : 32;
    if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      return { error: `"${entry}" is not an IP address or CIDR range (such as 127.0.0.1 or 10.0.0.0/8)` };
    }
    list.addSubnet(ip, prefix, family === 6 ? "ipv6" : "ipv4");
    entries.push(entry);
  }
  return { proxies: { entries, list } };
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { entries: [], list: new BlockList() };

export function isTrustedProxy(proxies: TrustedProxies, address: string): boolean {
  if (proxies.entries.length === 0) return false;
  const ip = normaliseAddress(address);
  const family = isIP(ip);
  if (family === 0) return false;
  return proxies.list.check(ip, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's address: the connection's peer unless that is a trusted proxy, in which case
 * the X-Forwarded-For chain is read from its end past every trusted proxy. An unreadable
 * entry where the chain must be believed yields the last trusted hop (never a made-up value).
 */
export function clientAddress(peer: string, forwardedFor: string | null, proxies: TrustedProxies): string {
  let client = normaliseAddress(peer);
  if (!isTrustedProxy(proxies, client) || !forwardedFor) return client;
  const chain = forwardedFor.split(",").map((a) => a.trim()).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normaliseAddress(chain[i] ?? "");
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isTrustedProxy(proxies, hop)) return hop;
  }
  return client;
}
