import { describe, expect, it } from "vitest";
import { SharedResults } from "@/lib/analysis/server/shared-results";

/** A computation the test finishes by hand, counting how often it was started. */
function controlled<T>() {
  let starts = 0;
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  return {
    compute: () => {
      starts++;
      return new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
    },
    starts: () => starts,
    finish: (value: T) => pending.shift()?.resolve(value),
    fail: (error: unknown) => pending.shift()?.reject(error),
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe("shared analysis results", () => {
  it("compute once for twenty requests of the same input at the same time", async () => {
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10 });
    const job = controlled<string>();
    const requests = Array.from({ length: 20 }, () => results.get("fit:2026:90", { hard: "h1", soft: "s1" }, job.compute));
    await flush();
    expect(job.starts()).toBe(1);
    job.finish("weights");
    expect((await Promise.all(requests)).map((r) => r.value)).toEqual(Array(20).fill("weights"));
    // And later requests are served from the cache while the data is unchanged.
    expect(await results.get("fit:2026:90", { hard: "h1", soft: "s1" }, job.compute)).toMatchObject({ value: "weights", current: true });
    expect(job.starts()).toBe(1);
  });

  it("keep different inputs apart", async () => {
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10 });
    const job = controlled<string>();
    const a = results.get("a", { hard: "h", soft: "s" }, job.compute);
    const b = results.get("b", { hard: "h", soft: "s" }, job.compute);
    await flush();
    expect(job.starts()).toBe(2);
    job.finish("A");
    job.finish("B");
    expect([(await a).value, (await b).value]).toEqual(["A", "B"]);
  });

  it("serve the last result at once while events arrive, refreshing it in the background at most once per interval", async () => {
    let now = 0;
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10, now: () => now });
    const job = controlled<string>();
    const first = results.get("k", { hard: "h", soft: "s1" }, job.compute);
    await flush();
    job.finish("v1");
    await first;

    now = 10_000;
    expect(await results.get("k", { hard: "h", soft: "s2" }, job.compute)).toMatchObject({ value: "v1", current: false });
    expect(job.starts()).toBe(1); // too soon to refresh

    now = 31_000;
    const stale = await results.get("k", { hard: "h", soft: "s3" }, job.compute);
    expect(stale).toMatchObject({ value: "v1", current: false });
    await flush();
    expect(job.starts()).toBe(2); // one background refresh…
    await results.get("k", { hard: "h", soft: "s4" }, job.compute);
    await flush();
    expect(job.starts()).toBe(2); // …not one per request
    job.finish("v2");
    await flush();
    expect(await results.get("k", { hard: "h", soft: "s3" }, job.compute)).toMatchObject({ value: "v2", current: true });
  });

  it("never serve a result whose hard inputs changed: the next request waits for a new one", async () => {
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10 });
    const job = controlled<string>();
    const first = results.get("k", { hard: "config-1", soft: "s" }, job.compute);
    await flush();
    job.finish("old weights");
    await first;
    const next = results.get("k", { hard: "config-2", soft: "s" }, job.compute);
    await flush();
    expect(job.starts()).toBe(2);
    job.finish("new weights");
    expect(await next).toMatchObject({ value: "new weights", current: true });
  });

  it("let a computation that finished late not replace a newer result", async () => {
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10 });
    const slow = controlled<string>();
    const fast = controlled<string>();
    const old = results.get("k", { hard: "config-1", soft: "s" }, slow.compute);
    const fresh = results.get("k", { hard: "config-2", soft: "s" }, fast.compute);
    await flush();
    fast.finish("config-2 result");
    await fresh;
    slow.finish("config-1 result");
    await old;
    expect(await results.get("k", { hard: "config-2", soft: "s" }, fast.compute)).toMatchObject({ value: "config-2 result" });
  });

  it("pass a failure to everyone waiting, and try again on the next request", async () => {
    const results = new SharedResults<string>({ refreshAfterMs: 30_000, maxEntries: 10 });
    const job = controlled<string>();
    const a = results.get("k", { hard: "h", soft: "s" }, job.compute);
    const b = results.get("k", { hard: "h", soft: "s" }, job.compute);
    await flush();
    job.fail(new Error("worker crashed"));
    await expect(a).rejects.toThrow("worker crashed");
    await expect(b).rejects.toThrow("worker crashed");
    const retry = results.get("k", { hard: "h", soft: "s" }, job.compute);
    await flush();
    expect(job.starts()).toBe(2);
    job.finish("ok");
    expect((await retry).value).toBe("ok");
  });

  it("remember a bounded number of inputs", async () => {
    const results = new SharedResults<number>({ refreshAfterMs: 30_000, maxEntries: 2 });
    let starts = 0;
    const compute = async () => ++starts;
    for (const key of ["a", "b", "c"]) await results.get(key, { hard: "h", soft: "s" }, compute);
    await results.get("a", { hard: "h", soft: "s" }, compute);
    expect(starts).toBe(4); // "a" was forgotten when "c" arrived
    await results.get("c", { hard: "h", soft: "s" }, compute);
    expect(starts).toBe(4);
  });
});
