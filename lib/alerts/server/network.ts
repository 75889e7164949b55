import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { MAX_RESPONSE_EXCERPT_BYTES, type OutboundPolicy } from "../outbound";

/**
 * Outbound requests that cannot be pointed at the server's own network (issue 17): a webhook or
 * Slack URL whose host is, or resolves to, a loopback, private, link-local or otherwise
 * non-public address is refused unless the installation sets ALERTS_ALLOW_PRIVATE_NETWORKS=true
 * (receivers inside a company network, the tests' local receivers). The check runs in the
 * socket's own DNS lookup, so the address checked is the address connected to: a host that
 * answers a public address to a first lookup and 127.0.0.1 to the next gains nothing.
 */
const NON_PUBLIC = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, "ipv4");
}
for (const [prefix, bits] of [
  ["::", 127], // unspecified and loopback (::, ::1)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["64:ff9b:1::", 48], // local-use NAT64
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(prefix, bits, "ipv6");
}

/** Whether an IP address is not on the public internet (IPv4-mapped IPv6 addresses are read as their IPv4 address). Not an address: true. */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return NON_PUBLIC.check(address, "ipv4");
  if (family === 6) return NON_PUBLIC.check(address, "ipv6");
  return true;
}

export const PRIVATE_ADDRESS_CODE = "ECES_PRIVATE_ADDRESS";

const ALLOW_HINT = "requests to private, loopback and link-local addresses are refused unless the server sets ALERTS_ALLOW_PRIVATE_NETWORKS=true";

function privateAddressError(host: string, address: string): Error {
  const shown = host === address ? address : `${host} (${address})`;
  return Object.assign(new Error(`${shown} is not a public internet address: ${ALLOW_HINT}.`), { code: PRIVATE_ADDRESS_CODE });
}

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/** Why a destination URL names a non-public host outright (an address or localhost), or null. Hostnames are checked when connecting. */
export function destinationAddressProblem(text: string, policy: OutboundPolicy): string | null {
  if (policy.allowPrivateNetworks) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const host = hostOf(url).replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost") || (net.isIP(host) !== 0 && isNonPublicAddress(host))) {
    return `must not point at ${host}: ${ALLOW_HINT}`;
  }
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup for a socket, refusing every answer that holds a non-public address. */
function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused) return callback(privateAddressError(hostname, refused.address), "");
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
    callback(null, first.address, first.family);
  });
}

// Connections are kept open between deliveries: a burst to one receiver reuses them.
const agents = {
  open: { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) },
  guarded: { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) },
};

export interface OutboundAnswer {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** The first MAX_RESPONSE_EXCERPT_BYTES of the body; the rest is never read. */
  excerpt: string;
}

export class OutboundTimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * POSTs `body` to `url` within `timeoutMs` for the whole exchange, without following redirects,
 * reading at most a couple of KB of the answer, and (unless the policy allows private networks)
 * connecting only to public addresses.
 */
export function postOutbound(url: URL, body: string, headers: Record<string, string>, policy: OutboundPolicy, timeoutMs: number): Promise<OutboundAnswer> {
  return new Promise((resolve, reject) => {
    const host = hostOf(url);
    if (!policy.allowPrivateNetworks && net.isIP(host) !== 0 && isNonPublicAddress(host)) return reject(privateAddressError(host, host));
    const secure = url.protocol === "https:";
    const set = policy.allowPrivateNetworks ? agents.open : agents.guarded;
    const request = (secure ? https : http).request(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent: secure ? set.https : set.http,
      ...(policy.allowPrivateNetworks ? {} : { lookup: guardedLookup as unknown as net.LookupFunction }),
    });
    const timer = setTimeout(() => request.destroy(new OutboundTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    request.on("error", fail);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          headers: response.headers,
          excerpt: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_EXCERPT_BYTES).toString("utf8"),
        });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        // Never read a huge answer to its end: keep the excerpt and drop the connection.
        if (size >= MAX_RESPONSE_EXCERPT_BYTES) {
          finish();
          response.destroy();
        }
      });
      response.on("end", finish);
      response.on("error", (error) => (settled ? undefined : fail(error)));
    });
    request.end(body);
  });
}
