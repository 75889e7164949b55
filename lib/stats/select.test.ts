import { describe, expect, it } from "vitest";
import { median } from "./summary";
import { medianInPlace, selectKth } from "./select";

describe("selectKth and medianInPlace", () => {
  it("find order statistics by hand-checked examples", () => {
    expect(selectKth(Int32Array.from([9, 1, 8, 2, 7, 3]), 0)).toBe(1);
    expect(selectKth(Int32Array.from([9, 1, 8, 2, 7, 3]), 5)).toBe(9);
    expect(selectKth(Int32Array.from([9, 1, 8, 2, 7, 3]), 2)).toBe(3);
    expect(medianInPlace(Int32Array.from([10, 1, 3, 2]))).toBe(2.5);
    expect(medianInPlace(Int32Array.from([5, -1, 3]))).toBe(3);
    expect(medianInPlace(new Int32Array(0))).toBeNull();
    expect(medianInPlace(Int32Array.from([4, 4, 4, 4]))).toBe(4);
  });
  it("agrees with sorting on many random and repetitive arrays, using only a prefix", () => {
    let seed = 12345;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 2001) - 1000;
    for (let round = 0; round < 200; round++) {
      const length = 1 + (round % 37);
      const values = Int32Array.from({ length: length + 5 }, () => (round % 3 === 0 ? next() % 4 : next()));
      const expected = median(values.slice(0, length));
      expect(medianInPlace(values, length)).toBe(expected);
    }
  });
});
