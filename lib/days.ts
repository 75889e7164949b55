/**
 * Days in this product are UTC calendar days. A "day number" is the number of whole days
 * since 1970-01-01 UTC; ISO dates (YYYY-MM-DD) are the same days written for people.
 * An event at 23:59:59.999 UTC belongs to that day; one at 00:00:00.000 UTC to the next.
 */
export const MS_PER_DAY = 86_400_000;

export type DayNumber = number;

export function dayFromMs(ms: number): DayNumber {
  return Math.floor(ms / MS_PER_DAY);
}

export function startOfDayMs(day: DayNumber): number {
  return day * MS_PER_DAY;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses YYYY-MM-DD strictly (rejects 2025-02-30); returns null when invalid. */
export function parseIsoDate(text: string): DayNumber | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [, y, mo, d] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const day = dayFromMs(ms);
  return isoDateFromDay(day) === text ? day : null;
}

export function dayFromIsoDate(text: string): DayNumber {
  const day = parseIsoDate(text);
  if (day === null) throw new RangeError(`Not a valid YYYY-MM-DD date: ${text}`);
  return day;
}

/**
 * The ISO date of a day number, worked out with integer arithmetic (H. Hinnant's
 * civil_from_days) rather than through a Date: pages call this for every day of a year-long
 * history, and under Next.js every `new Date` goes through its request-tracking wrapper.
 * Years outside 0–9999 (which ISO writes with six digits and a sign) go through Date.
 */
export function isoDateFromDay(day: DayNumber): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (!Number.isInteger(day) || y < 0 || y > 9999) return new Date(startOfDayMs(day)).toISOString().slice(0, 10);
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

export function todayDay(nowMs: number = Date.now()): DayNumber {
  return dayFromMs(nowMs);
}

/** The UTC date `days` before today, as YYYY-MM-DD. */
export function isoDaysAgo(days: number, nowMs: number = Date.now()): string {
  return isoDateFromDay(todayDay(nowMs) - days);
}

/** Adds whole calendar months (clamping to the month's last day), for renewals. */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const d = new Date(startOfDayMs(day));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dayFromMs(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}
