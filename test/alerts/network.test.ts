import dns from "node:dns";
import os from "node:os";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createDestination } from "@/lib/alerts/server/destinations";
import { Dispatcher } from "@/lib/alerts/server/dispatcher";
import { destinationAddressProblem, isNonPublicAddress } from "@/lib/alerts/server/network";
import { enqueue } from "@/lib/alerts/server/outbox";
import { createTestDb } from "@/test/db";
import { ADMIN, startReceiver, type Receiver } from "./helpers";

/**
 * Outbound webhook and Slack requests never reach the server's own network unless the
 * installation allows it (ALERTS_ALLOW_PRIVATE_NETWORKS=true): an address in the URL is refused
 * before connecting, a hostname when it resolves to such an address (the socket's own lookup, so
 * the address checked is the one connected to). The receiver here listens on 127.0.0.1.
 */
let db: Db;
let cleanup: () => Promise<void>;
let receiver: Receiver;

beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await cleanup();
});

const STRICT = { allowInsecure: true, allowPrivateNetworks: false };
const OPEN = { allowInsecure: true, allowPrivateNetworks: true };

describe("which addresses are not public", () => {
  it("loopback, private, link-local, carrier-grade NAT, multicast and reserved IPv4; their IPv6 counterparts and IPv4-mapped forms", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255"]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ["::1", "::", "fe80::1", "fd12:3456::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe"]) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
    expect(isNonPublicAddress("not-an-address")).toBe(true);
  });

  it("refuses a destination URL that names such an address or localhost, unless private networks are allowed", () => {
    expect(destinationAddressProblem("https://127.0.0.1/hooks", STRICT)).toMatch(/^must not point at 127\.0\.0\.1: .*ALERTS_ALLOW_PRIVATE_NETWORKS=true/);
    expect(destinationAddressProblem("https://[::1]:8443/hooks", STRICT)).toMatch(/^must not point at ::1/);
    expect(destinationAddressProblem("https://169.254.169.254/latest/meta-data", STRICT)).toMatch(/169\.254\.169\.254/);
    expect(destinationAddressProblem("https://LOCALHOST./hooks", STRICT)).toMatch(/localhost/);
    expect(destinationAddressProblem("https://api.localhost/hooks", STRICT)).toMatch(/api\.localhost/);
    expect(destinationAddressProblem("https://hooks.example.com/ces", STRICT)).toBeNull();
    expect(destinationAddressProblem("https://93.184.216.34/ces", STRICT)).toBeNull();
    expect(destinationAddressProblem("http://127.0.0.1:9000/hooks", OPEN)).toBeNull();
  });
});

describe("delivering to a private address", () => {
  async function queueFor(url: string, messageId: string): Promise<number> {
    const { id } = await createDestination(db, { actor: ADMIN, kind: "webhook", name: messageId, url, events: [] });
    await enqueue(db, { messageId, channel: "webhook", target: String(id), eventType: "alert.fired", payload: "{}", now: Date.now() });
    return id;
  }

  async function lastError(messageId: string): Promise<string | null | undefined> {
    return db.value<string | null>(sql`SELECT last_error FROM outbox WHERE message_id = ${messageId}`);
  }

  it("is refused, with the reason in the delivery log, and nothing reaches the receiver", async () => {
    await queueFor(`${receiver.url}/literal`, "alrt_private1");
    await new Dispatcher(db, { owner: "strict", policy: STRICT }).runOnce();
    expect(await lastError("alrt_private1")).toBe(
      "The URL must not point at 127.0.0.1: requests to private, loopback and link-local addresses are refused unless the server sets ALERTS_ALLOW_PRIVATE_NETWORKS=true.",
    );
    expect(receiver.requests.some((r) => r.path === "/literal")).toBe(false);
  });

  it("is refused when a hostname resolves to one, checked on the connection's own lookup", async () => {
    // This machine's own name passes the name check but resolves to its own (loopback or private) address when connecting.
    const host = os.hostname();
    const resolved = await dns.promises.lookup(host, { all: true });
    expect(resolved.every((a) => isNonPublicAddress(a.address)), `${host} resolves to ${JSON.stringify(resolved)}`).toBe(true);
    const port = new URL(receiver.url).port;
    await queueFor(`http://${host}:${port}/resolved`, "alrt_private2");
    await new Dispatcher(db, { owner: "strict", policy: STRICT }).runOnce();
    const error = await lastError("alrt_private2");
    expect(error).toMatch(/^Refused to connect: /);
    expect(error).toContain(`${host} (`);
    expect(error).toMatch(/is not a public internet address: .*ALERTS_ALLOW_PRIVATE_NETWORKS=true\.$/);
    expect(receiver.requests.some((r) => r.path === "/resolved")).toBe(false);
  });

  it("goes through when the installation allows private networks", async () => {
    await queueFor(`${receiver.url}/allowed`, "alrt_private3");
    await new Dispatcher(db, { owner: "open", policy: OPEN }).runOnce();
    expect(await db.value(sql`SELECT status FROM outbox WHERE message_id = 'alrt_private3'`)).toBe("delivered");
    expect(receiver.requests.filter((r) => r.path === "/allowed")).toHaveLength(1);
  });
});
