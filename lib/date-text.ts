import { isoDateFromDay, parseIsoDate } from "./days";

/**
 * Dates typed by people, in the app's own format ("8 Dec 2025", see formatDate in
 * lib/format.ts) or as ISO ("2025-12-08"). "Dec 8, 2025" and full month names work too.
 * All-numeric forms other than ISO (08/12/2025) are refused: they mean different days in
 * different countries.
 */
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;

function monthIndex(word: string): number | null {
  const w = word.toLowerCase();
  if (w.length < 3) return null;
  const i = MONTHS.findIndex((m) => w.startsWith(m));
  if (i < 0) return null;
  const full = new Date(Date.UTC(2000, i, 1)).toLocaleDateString("en-GB", { month: "long", timeZone: "UTC" }).toLowerCase();
  // "sept" is a common spelling of September.
  return full.startsWith(w) || w === "sept" ? i : null;
}

function isoFrom(year: string, month: number, day: string): string | null {
  const iso = `${year}-${String(month + 1).padStart(2, "0")}-${day.padStart(2, "0")}`;
  const parsed = parseIsoDate(iso);
  return parsed === null ? null : isoDateFromDay(parsed);
}

/** The ISO date a typed text means, or null when it is not a date this accepts. */
export function parseDateText(text: string): string | null {
  const t = text.trim().replace(/,/g, " ").replace(/\s+/g, " ");
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return parseIsoDate(t) === null ? null : t;
  const dayFirst = /^(\d{1,2}) ([a-z]+)\.? (\d{4})$/i.exec(t);
  if (dayFirst) {
    const [, day = "", word = "", year = ""] = dayFirst;
    const month = monthIndex(word);
    return month === null ? null : isoFrom(year, month, day);
  }
  const monthFirst = /^([a-z]+)\.? (\d{1,2}) (\d{4})$/i.exec(t);
  if (monthFirst) {
    const [, word = "", day = "", year = ""] = monthFirst;
    const month = monthIndex(word);
    return month === null ? null : isoFrom(year, month, day);
  }
  return null;
}

export const DATE_TEXT_HINT = "Write the date like 8 Dec 2025.";
