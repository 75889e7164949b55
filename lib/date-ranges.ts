import { dayFromMs, isoDateFromDay, MS_PER_DAY, parseIsoDate, startOfDayMs, type DayNumber } from "./days";

/**
 * The dates this product accepts, one documented range per kind (README, "Limits"). Nothing
 * older than 2000-01-01 is plausible for a SaaS account, and a date far ahead is a typo or a
 * placeholder (9999-12-31) that would otherwise become the newest change marker, the latest
 * event or a renewal no list ever reaches.
 */
export const EARLIEST_DATE = "2000-01-01";
export const EARLIEST_DAY: DayNumber = dayFromMs(Date.UTC(2000, 0, 1));
export const EARLIEST_MS = startOfDayMs(EARLIEST_DAY);

export interface DayRange {
  /** How far after today a date may be, in days. */
  daysAhead: number;
}

export const DATE_RANGES = {
  /** When an event happened: clocks drift, so up to a day ahead. */
  event: { daysAhead: 1 },
  /** When an account signed up. */
  signup: { daysAhead: 366 },
  /** Renewal dates of multi-year contracts. */
  renewal: { daysAhead: 10 * 366 },
  /** The end of a free trial. */
  trialEnd: { daysAhead: 366 },
  /** A change marker: a change may be planned a year ahead. */
  marker: { daysAhead: 366 },
} as const satisfies Record<string, DayRange>;

/** Why a day is outside its range ("must be on or after 2000-01-01"), or null. */
export function dayRangeProblem(day: DayNumber, range: DayRange, today: DayNumber): string | null {
  if (day < EARLIEST_DAY) return `must be on or after ${EARLIEST_DATE}`;
  const last = today + range.daysAhead;
  if (day > last) return `must be on or before ${isoDateFromDay(last)}`;
  return null;
}

/** As dayRangeProblem, for a YYYY-MM-DD date (null when it is not one: that is reported elsewhere). */
export function isoDateRangeProblem(date: string, range: DayRange, today: DayNumber): string | null {
  const day = parseIsoDate(date);
  return day === null ? null : dayRangeProblem(day, range, today);
}

/** Why an event time is outside [2000-01-01, received + 1 day] (client clocks drift), or null. */
export function eventTimeProblem(ms: number, receivedAt: number): string | null {
  if (ms < EARLIEST_MS) return `must be on or after ${EARLIEST_DATE}`;
  if (ms > receivedAt + DATE_RANGES.event.daysAhead * MS_PER_DAY) return "must not be more than a day in the future";
  return null;
}

/** A contact logged a little after the fact, never ahead of it (minutes of clock skew allowed). */
export const CONTACT_FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Why a logged contact's time is outside [2000-01-01, now], or null. */
export function contactTimeProblem(ms: number, nowMs: number): string | null {
  if (ms < EARLIEST_MS) return `must be on or after ${EARLIEST_DATE}`;
  if (ms > nowMs + CONTACT_FUTURE_TOLERANCE_MS) return "must not be in the future";
  return null;
}
