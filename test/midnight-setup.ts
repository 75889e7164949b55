import { beforeAll, beforeEach } from "vitest";

/**
 * Runs a test file as if UTC midnight passed during it (vitest.midnight.config.mts): the file
 * loads 30 seconds before midnight (midnight passes on its own if the load takes longer), and
 * midnight passes just before its Nth test (CES_MIDNIGHT_BEFORE_TEST, default 1), or with 0
 * between the file's load and its beforeAll. Only the global Date is shifted, and it keeps
 * ticking with real time, as the real clock would: a file that pins its own clock
 * (test/clock.ts) replaces this Date and is not moved.
 */
const DAY = 86_400_000;
const RealDate = Date;
const midnight = (Math.floor(RealDate.now() / DAY) + 1) * DAY;
let offset = midnight - 30_000 - RealDate.now();

class ShiftedDate extends RealDate {
  constructor(...args: [] | ConstructorParameters<DateConstructor>) {
    if (args.length === 0) super(RealDate.now() + offset);
    else super(...(args as [string | number | Date]));
  }
  static override now(): number {
    return RealDate.now() + offset;
  }
}
globalThis.Date = ShiftedDate as DateConstructor;

function passMidnight(): void {
  if (RealDate.now() + offset < midnight) offset = midnight + 1_000 - RealDate.now();
}

const crossBefore = Number(process.env.CES_MIDNIGHT_BEFORE_TEST ?? 1);
let tests = 0;
// Registered before the file's own hooks, so they run first.
beforeAll(() => {
  if (crossBefore === 0) passMidnight();
});
beforeEach(() => {
  tests += 1;
  if (tests === crossBefore) passMidnight();
});
