import { describe, expect, it } from "vitest";
import { decodeHistory, encodeHistory, historyThroughDay } from "./history";

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

describe("historyThroughDay", () => {
  it("puts the stored closed days and the current score together", () => {
    // Start day 100, scores as of day 103: days 100–102 are stored, day 103 is the current score.
    expect(Array.from(historyThroughDay(encodeHistory([1, 2, 3]), 100, 103, 4))).toEqual([1, 2, 3, 4]);
  });
  it("ignores a stored value for the scores' day (blobs written before it was left out)", () => {
    expect(Array.from(historyThroughDay(encodeHistory([1, 2, 3, 999]), 100, 103, 4))).toEqual([1, 2, 3, 4]);
  });
  it("saturates the current score like a stored one", () => {
    expect(Array.from(historyThroughDay(encodeHistory([]), 5, 5, 3e9))).toEqual([2147483647]);
  });
});
