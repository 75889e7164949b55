import { describe, expect, it } from "vitest";
import { KeyedGate } from "./keyed-gate";

describe("KeyedGate", () => {
  it("runs up to the limit per key at once and the rest in order as places free up", () => {
    const gate = new KeyedGate(2, 10);
    const started: string[] = [];
    const leaves = new Map<string, () => void>();
    for (const name of ["a1", "a2", "a3", "a4"]) gate.enter("a", (leave) => (started.push(name), leaves.set(name, leave)));
    gate.enter("b", (leave) => (started.push("b1"), leaves.set("b1", leave)));
    expect(started).toEqual(["a1", "a2", "b1"]);
    expect(gate.count("a")).toEqual({ active: 2, waiting: 2 });
    leaves.get("a2")?.();
    leaves.get("a2")?.(); // leaving twice frees one place only
    expect(started).toEqual(["a1", "a2", "b1", "a3"]);
    expect(gate.count("a")).toEqual({ active: 2, waiting: 1 });
    leaves.get("a1")?.();
    leaves.get("a3")?.();
    leaves.get("a4")?.();
    expect(gate.count("a")).toEqual({ active: 0, waiting: 0 });
  });

  it("refuses past the waiting limit, and forgets a cancelled wait", () => {
    const gate = new KeyedGate(1, 1);
    const started: string[] = [];
    let leaveFirst = () => {};
    gate.enter("k", (leave) => ((leaveFirst = leave), started.push("first")));
    const second = gate.enter("k", () => started.push("second"));
    expect(gate.enter("k", () => started.push("third"))).toEqual({ admitted: false, refused: true });
    if (second.admitted || second.refused) throw new Error("the second should wait");
    second.cancel();
    leaveFirst();
    expect(started).toEqual(["first"]);
    expect(gate.count("k")).toEqual({ active: 0, waiting: 0 });
  });
});
