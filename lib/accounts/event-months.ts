import { dayFromMs, isoDateFromDay, type DayNumber } from "../days";

/** One cell of the daily rollup for one account. */
export interface DayTypeCount {
  day: DayNumber;
  typeId: number;
  count: number;
}

export interface EventMonths {
  /** Calendar months covered, oldest first, as "YYYY-MM". */
  months: string[];
  /** Per event type, the number of events in each month (same order as `months`). */
  countsByType: Map<number, number[]>;
}

function monthOf(day: DayNumber): string {
  return isoDateFromDay(day).slice(0, 7);
}

/** The months from the one holding `fromDay` to the one holding `toDay`, inclusive. */
export function monthsBetween(fromDay: DayNumber, toDay: DayNumber): string[] {
  if (toDay < fromDay) return [];
  const [fy, fm] = monthOf(fromDay).split("-").map(Number);
  const [ty, tm] = monthOf(toDay).split("-").map(Number);
  if (fy === undefined || fm === undefined || ty === undefined || tm === undefined) return [];
  const out: string[] = [];
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? ((m = 1), y++) : m++) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
  }
  return out;
}

/**
 * Event counts per type per calendar month between two days (inclusive), for the account
 * page's "events over time". Counts outside the range are ignored; a type with no events in
 * the range does not appear.
 */
export function eventCountsByMonth(rows: Iterable<DayTypeCount>, fromDay: DayNumber, toDay: DayNumber): EventMonths {
  const months = monthsBetween(fromDay, toDay);
  const index = new Map(months.map((m, i) => [m, i]));
  // The month of each day in the range, worked out once rather than per row.
  const monthOfDay = new Int16Array(Math.max(0, toDay - fromDay + 1));
  for (let day = fromDay; day <= toDay; day++) monthOfDay[day - fromDay] = index.get(monthOf(day)) ?? 0;
  const countsByType = new Map<number, number[]>();
  for (const r of rows) {
    if (r.day < fromDay || r.day > toDay) continue;
    const i = monthOfDay[r.day - fromDay] ?? 0;
    let counts = countsByType.get(r.typeId);
    if (!counts) {
      counts = new Array<number>(months.length).fill(0);
      countsByType.set(r.typeId, counts);
    }
    counts[i] = (counts[i] ?? 0) + r.count;
  }
  return { months, countsByType };
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A column of the heat map: its month, the label people read, and how much of it the range covers. */
export interface MonthColumn {
  month: string;
  /** "Dec ’25": the year appears on the first column, on January and on a month whose name came before. */
  label: string;
  /** Days of the month inside the range (a partial first or last month holds fewer events). */
  days: number;
  daysInMonth: number;
}

/**
 * The columns for the months between two days. Twelve months and a few days cover thirteen
 * calendar months: the first and the last share a name, so they carry their year, and a
 * partial month says how many of its days count.
 */
export function monthColumns(fromDay: DayNumber, toDay: DayNumber): MonthColumn[] {
  const seen = new Set<string>();
  return monthsBetween(fromDay, toDay).map((month, i) => {
    const year = Number(month.slice(0, 4));
    const m = Number(month.slice(5, 7));
    const name = MONTH_NAMES[m - 1] ?? month;
    const withYear = i === 0 || m === 1 || seen.has(name);
    seen.add(name);
    const first = dayFromMs(Date.UTC(year, m - 1, 1));
    const last = dayFromMs(Date.UTC(year, m, 0));
    return {
      month,
      label: withYear ? `${name} ’${month.slice(2, 4)}` : name,
      days: Math.min(last, toDay) - Math.max(first, fromDay) + 1,
      daysInMonth: last - first + 1,
    };
  });
}
