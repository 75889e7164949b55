import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createWriteKey, hashWriteKey, KEY_PREFIX_LENGTH, listWriteKeys, revokeWriteKey } from "@/lib/ingestion/server/write-keys";
import { createTestDb } from "./db";

let db: Db;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterAll(async () => cleanup());

const actor = { id: "u1", name: "Ada Admin" };

function audit(action: string) {
  return db.all<{ target: string; details: string }>(sql`SELECT target, details FROM audit_log WHERE action = ${action} ORDER BY id`);
}

describe("write keys", () => {
  it("creates a key shown once, stores only its hash and prefix, audited without the key", async () => {
    const { key, summary } = await createWriteKey(db, { actor, label: "Website" });
    expect(key).toMatch(/^ces_[0-9A-Za-z]{40}$/);
    expect(summary).toMatchObject({ label: "Website", prefix: key.slice(0, KEY_PREFIX_LENGTH), createdBy: "Ada Admin", lastUsedAt: null, revokedAt: null, revokedBy: null });
    expect(typeof summary.id).toBe("number");
    expect(typeof summary.createdAt).toBe("number");
    expect(Math.abs(summary.createdAt - Date.now())).toBeLessThan(60_000);
    const stored = await db.get<{ keyHash: string }>(sql`SELECT key_hash AS "keyHash" FROM write_keys WHERE id = ${summary.id}`);
    expect(stored?.keyHash).toBe(hashWriteKey(key));
    const entries = await audit("key.create");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.target).toBe(`key:${summary.prefix}`);
    expect(entries[0]?.details).not.toContain(key);
  });

  it("lists active keys newest first, then revoked ones", async () => {
    const older = await createWriteKey(db, { actor, label: "Older" });
    const newer = await createWriteKey(db, { actor, label: "Newer" });
    const at = (label: string, ms: number) => db.run(sql`UPDATE write_keys SET created_at = ${ms} WHERE label = ${label}`);
    await at("Website", 1_000);
    await at("Older", 2_000);
    await at("Newer", 3_000);
    const revoked = await revokeWriteKey(db, { actor, id: newer.summary.id });
    expect(revoked).toMatchObject({ id: newer.summary.id, revokedBy: "Ada Admin", createdAt: 3_000 });
    expect(typeof revoked?.revokedAt).toBe("number");
    expect((await listWriteKeys(db)).map((k) => k.label)).toEqual(["Older", "Website", "Newer"]);
    expect(older.summary.revokedAt).toBeNull();
  });

  it("revokes idempotently (one audit entry) and answers null for an unknown key", async () => {
    const { summary } = await createWriteKey(db, { actor, label: "Twice" });
    const first = await revokeWriteKey(db, { actor, id: summary.id });
    const second = await revokeWriteKey(db, { actor: { id: "u2", name: "Bo" }, id: summary.id });
    expect(second).toEqual(first);
    expect((await audit("key.revoke")).filter((e) => e.target === `key:${summary.prefix}`)).toHaveLength(1);
    expect(await revokeWriteKey(db, { actor, id: 999_999 })).toBeNull();
  });
});
