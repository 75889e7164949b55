import { z } from "zod";
import { parseIsoDate } from "../days";

/** A change marker as people enter it; shared by the form and the API. */
export const markerInputSchema = z.object({
  date: z
    .string()
    .trim()
    .refine((v) => parseIsoDate(v) !== null, { message: "must be a date as YYYY-MM-DD" }),
  title: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  description: z.string().trim().max(1000, "must be at most 1,000 characters").default(""),
});
export type MarkerInput = z.output<typeof markerInputSchema>;
