import { z } from "zod";
import { DATE_RANGES, isoDateRangeProblem } from "../date-ranges";
import { parseIsoDate, todayDay } from "../days";
import { displayLine, displayText } from "../text-safety";

/**
 * A change marker as people enter it; shared by the form and the API. Its date is between
 * 2000-01-01 and a year ahead: a placeholder such as 9999-12-31 would otherwise become the
 * newest marker, the one before/after opens on.
 */
export const markerInputSchema = z.object({
  date: z
    .string()
    .trim()
    .refine((v) => parseIsoDate(v) !== null, { message: "must be a date as YYYY-MM-DD" })
    .superRefine((value, ctx) => {
      const problem = isoDateRangeProblem(value, DATE_RANGES.marker, todayDay());
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  title: displayLine.pipe(z.string().trim().min(1, "is required").max(120, "must be at most 120 characters")),
  description: displayText.pipe(z.string().trim().max(1000, "must be at most 1,000 characters")).default(""),
});
export type MarkerInput = z.output<typeof markerInputSchema>;
