import { dayFromIsoDate, isoDateFromDay } from "../days";

/** The ISO date `days` after `isoDate` (UTC calendar days). */
export function addDaysIso(isoDate: string, days: number): string {
  return isoDateFromDay(dayFromIsoDate(isoDate) + days);
}
