import { vi } from "vitest";
import { MS_PER_DAY, todayDay, type DayNumber } from "@/lib/days";

/** A file's Date never starts later than this in its day: hours left before it reaches midnight. */
const LATEST_START_MS = 22 * 60 * 60 * 1000;

/**
 * Tests take the date from one clock reading: a test file that works with "today" calls
 * pinClock() at its top, before anything reads the date. Date then ticks on with real time
 * (timeouts, leases and backoffs still see time pass) from a start no later than 22:00 UTC of
 * the day the file starts, so the file's "today" is the day the code under test sees
 * throughout, even when the run passes UTC midnight. Before 22:00 Date is the real time
 * (PostgreSQL's now() and the worker threads agree with it); after, it runs at most two hours
 * behind. Only Date is faked: timers, the database and worker threads keep the real clock.
 */
export function pinClock(): DayNumber {
  const day = todayDay();
  const now = Math.min(Date.now(), day * MS_PER_DAY + LATEST_START_MS);
  vi.useFakeTimers({ toFake: ["Date"], now, shouldAdvanceTime: true });
  return day;
}
