import { vi } from "vitest";
import { MS_PER_DAY, todayDay, type DayNumber } from "@/lib/days";

/**
 * Tests take the date from one clock reading: a test file that works with "today" calls
 * pinClock() at its top, before anything reads the date. It fixes Date at noon UTC of the
 * day the file starts, then lets it tick on with real time (timeouts, leases and backoffs still
 * see time pass), so the file's "today" is the day the code under test sees throughout, even
 * when the run passes UTC midnight. Only Date is faked: timers, the database and worker
 * threads keep the real clock.
 */
export function pinClock(): DayNumber {
  const day = todayDay();
  vi.useFakeTimers({ toFake: ["Date"], now: day * MS_PER_DAY + MS_PER_DAY / 2, shouldAdvanceTime: true });
  return day;
}
