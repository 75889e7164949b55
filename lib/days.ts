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

export function isoDateFromDay(day: DayNumber): string {
  return new Date(startOfDayMs(day)).toISOString().slice(0, 10);
}

export function todayDay(nowMs: number = Date.now()): DayNumber {
  return dayFromMs(nowMs);
}

/** Adds whole calendar months (clamping to the month's last day), for renewals. */
export function addMonths(day: DayNumber, months: number): DayNumber {
  const d = new Date(startOfDayMs(day));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dayFromMs(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}
