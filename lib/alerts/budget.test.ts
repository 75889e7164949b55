import { describe, expect, it } from "vitest";
import { WorkBudget } from "./budget";

describe("WorkBudget", () => {
  it("rests after work so that it uses at most its share of the time", async () => {
    let clock = 0;
    const slept: number[] = [];
    const budget = new WorkBudget(0.1, 0, () => clock, async (ms) => {
      slept.push(ms);
      clock += ms;
    });
    // Three pieces of 10 ms each: after each, 90 ms of rest before the next may start.
    for (let i = 0; i < 3; i++) {
      await budget.run(async () => {
        clock += 10;
      });
    }
    expect(slept).toEqual([90, 90]);
    expect(clock).toBe(210);
    expect(budget.restAfter(5)).toBeCloseTo(45);
  });

  it("does not make work wait that comes after enough idle time", async () => {
    let clock = 0;
    const budget = new WorkBudget(0.5, 0, () => clock, async () => {
      throw new Error("should not sleep");
    });
    await budget.run(async () => {
      clock += 10;
    });
    clock += 100;
    await expect(budget.run(async () => 42)).resolves.toBe(42);
  });

  it("books the time of work that failed too", async () => {
    let clock = 0;
    const budget = new WorkBudget(0.25, 0, () => clock, async (ms) => {
      clock += ms;
    });
    await expect(
      budget.run(async () => {
        clock += 20;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await budget.run(async () => undefined);
    expect(clock).toBe(80);
    expect(() => new WorkBudget(0)).toThrow(RangeError);
  });

  it("lets a burst of work run back to back after a quiet spell, then rests at the share", async () => {
    let clock = 0;
    const slept: number[] = [];
    const budget = new WorkBudget(0.1, 20, () => clock, async (ms) => {
      slept.push(ms);
      clock += ms;
    });
    // 20 ms of burst: the first three 10 ms pieces run at once (the third starts inside the allowance), the fourth rests.
    for (let i = 0; i < 4; i++) {
      await budget.run(async () => {
        clock += 10;
      });
    }
    expect(slept).toEqual([70]);
    // After a long quiet spell the allowance is back.
    clock += 10_000;
    slept.length = 0;
    await budget.run(async () => {
      clock += 10;
    });
    await budget.run(async () => {
      clock += 10;
    });
    expect(slept).toEqual([]);
  });

  it("books the time the work says it used, not the time it waited for a connection another piece of work held", async () => {
    let clock = 0;
    const slept: number[] = [];
    const budget = new WorkBudget(0.1, 0, () => clock, async (ms) => {
      slept.push(ms);
      clock += ms;
    });
    // 500 ms in all, of which 490 waiting for the connection: 10 ms of use, 90 ms of rest.
    await budget.run(
      async () => {
        clock += 500;
        return { usedMs: 10 };
      },
      (r) => r.usedMs,
    );
    await budget.run(async () => undefined);
    expect(slept).toEqual([]);
    await budget.run(async () => {
      clock += 10;
    });
    await budget.run(async () => undefined);
    expect(slept).toEqual([90]);
  });
});
