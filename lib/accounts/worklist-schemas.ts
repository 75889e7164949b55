import { z } from "zod";
import { cleanText, displayText } from "../text-safety";
import { parseIsoDate, type DayNumber } from "../days";
import { CONTACT_OUTCOMES } from "./contact-outcomes";

/** Request bodies for working the lists, shared by the API and the forms that send them. */

export const MAX_NOTE_LENGTH = 5000;
export const MAX_CONTACT_NOTE_LENGTH = 2000;
/** How far ahead an account can be snoozed. */
export const MAX_SNOOZE_DAYS = 365;

export const contactInputSchema = z.object({
  outcome: z.enum(CONTACT_OUTCOMES, { message: "choose how the contact went: reached, voicemail, no answer or email sent" }),
  note: displayText
    .pipe(z.string().trim().max(MAX_CONTACT_NOTE_LENGTH, `keep it under ${MAX_CONTACT_NOTE_LENGTH.toLocaleString("en-US")} characters`))
    .default(""),
  /** When it happened (default: now); an ISO date-time from 2000-01-01, not in the future (lib/date-ranges.ts). */
  contactedAt: z.iso.datetime({ offset: true, message: "must be a date and time such as 2026-03-01T10:30:00Z" }).optional(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;

export const noteInputSchema = z.object({
  body: z
    .string({ message: "write the note" })
    .transform(cleanText)
    .pipe(z.string().trim().min(1, "write the note").max(MAX_NOTE_LENGTH, `keep it under ${MAX_NOTE_LENGTH.toLocaleString("en-US")} characters`)),
});
export type NoteInput = z.infer<typeof noteInputSchema>;

export const snoozeInputSchema = z.object({
  until: z.string({ message: "choose a date" }).refine((v) => parseIsoDate(v) !== null, "must be a date as YYYY-MM-DD"),
});
export type SnoozeInput = z.infer<typeof snoozeInputSchema>;

/** Why a snooze date cannot be used, or null: it must be after today and within a year. */
export function snoozeDateProblem(until: string, today: DayNumber): string | null {
  const day = parseIsoDate(until);
  if (day === null) return "must be a date as YYYY-MM-DD";
  if (day <= today) return "must be after today";
  if (day > today + MAX_SNOOZE_DAYS) return `must be within ${MAX_SNOOZE_DAYS} days`;
  return null;
}
