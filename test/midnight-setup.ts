import { beforeEach } from "vitest";

/**
 * Runs a test file as if UTC midnight passed during it (vitest.midnight.config.mts): the
 * file loads, and its beforeAll runs, 30 seconds before midnight (or midnight passes during a load that takes longer); midnight passes just
 * before its Nth test (CES_MIDNIGHT_BEFORE_TEST, default 1). Only the global Date is shifted
 * (it keeps ticking with real time), the way the real clock would be: a file that pins its
 * own clock (test/clock.ts) replaces this Date and is not moved.
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

const crossBefore = Number(process.env.CES_MIDNIGHT_BEFORE_TEST ?? 1);
let tests = 0;
beforeEach(() => {
  tests += 1;
  if (tests === crossBefore && RealDate.now() + offset < midnight) offset = midnight + 1_000 - RealDate.now();
});
