import { describe, expect, it } from "vitest";
import { CIRCUIT_FAILURES, circuitPauseMs, MAX_ATTEMPTS, nextTryAt, opensCircuit, parseRetryAfter, retryDelayMs, shouldRetry } from "./backoff";

describe("retry back-off", () => {
  it("grows threefold from 5 s, capped at 6 h, without jitter in the middle of the range", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, 0.5))).toEqual([5_000, 15_000, 45_000, 135_000, 405_000, 1_215_000, 3_645_000, 10_935_000, 21_600_000]);
    expect(retryDelayMs(20, 0.5)).toBe(21_600_000);
  });

  it("spreads retries ±20 % at random", () => {
    expect(retryDelayMs(1, 0)).toBe(4_000);
    expect(retryDelayMs(1, 0.999_999)).toBe(6_000);
  });

  it("waits at least what the receiver's Retry-After asks, up to an hour", () => {
    expect(retryDelayMs(1, 0.5, 120_000)).toBe(120_000);
    expect(retryDelayMs(1, 0.5, 10 * 3_600_000)).toBe(3_600_000);
    expect(retryDelayMs(9, 0.5, 1_000)).toBe(21_600_000);
  });

  it("stops after the last attempt", () => {
    expect(shouldRetry(MAX_ATTEMPTS - 1)).toBe(true);
    expect(shouldRetry(MAX_ATTEMPTS)).toBe(false);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("30", 0)).toBe(30_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:00 GMT"))).toBe(60_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });
});

describe("circuit breaking", () => {
  it("pauses after CIRCUIT_FAILURES failures in a row, or at the first failed probe after a pause", () => {
    expect(CIRCUIT_FAILURES).toBe(5);
    expect(opensCircuit(4, 0)).toBe(false);
    expect(opensCircuit(5, 0)).toBe(true);
    expect(opensCircuit(1, 1)).toBe(true);
  });

  it("pauses for 1, 2, 4, 8 … minutes, at most an hour", () => {
    expect([1, 2, 3, 4, 6, 7, 20].map((n) => circuitPauseMs(n) / 60_000)).toEqual([1, 2, 4, 8, 32, 60, 60]);
  });
});

describe("when a waiting delivery is next tried", () => {
  const waiting = { status: "pending", attempts: 2, nextAttemptAt: 1_000 };
  it("is its own retry time while the endpoint delivers", () => {
    expect(nextTryAt(waiting, null)).toBe(1_000);
  });
  it("is the end of the endpoint's pause when that comes later, else its own retry time", () => {
    expect(nextTryAt(waiting, 5_000)).toBe(5_000);
    expect(nextTryAt(waiting, 500)).toBe(1_000);
  });
  it("is none for a delivery not tried yet, delivered or failed for good", () => {
    expect(nextTryAt({ ...waiting, attempts: 0 }, 5_000)).toBeNull();
    expect(nextTryAt({ ...waiting, status: "delivered" }, 5_000)).toBeNull();
    expect(nextTryAt({ ...waiting, status: "failed" }, null)).toBeNull();
    expect(nextTryAt({ ...waiting, nextAttemptAt: null }, 5_000)).toBeNull();
  });
});
