import { describe, expect, it } from "vitest";
import { decodeHistory, encodeHistory } from "./history";

describe("score history encoding", () => {
  it("round-trips integer hundredths", () => {
    const series = [0, 2300, -2400, 123456, -1];
    expect(Array.from(decodeHistory(encodeHistory(series)))).toEqual(series);
  });
  it("saturates instead of wrapping beyond ±21 million points", () => {
    expect(Array.from(decodeHistory(encodeHistory([3e9, -3e9])))).toEqual([2147483647, -2147483648]);
  });
  it("reads a blob that does not start on a 4-byte boundary", () => {
    const inner = encodeHistory([7, 8, 9]);
    const padded = Buffer.concat([Buffer.from([1]), inner]).subarray(1);
    expect(Array.from(decodeHistory(padded))).toEqual([7, 8, 9]);
  });
});
