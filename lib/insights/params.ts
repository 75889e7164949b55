import { z } from "zod";
import { parseIsoDate } from "../days";

/**
 * The validation page's choices, in the URL and the API query strings: the period of renewal
 * dates, and how many days before each renewal the score is read ("lead"). Missing dates
 * default to the year up to the scores' as-of day (resolved on the server).
 */
export const LEADS = [30, 60, 90, 180] as const;
export type LeadDays = (typeof LEADS)[number];
export const DEFAULT_LEAD: LeadDays = 90;

const isoDate = z.string().refine((v) => parseIsoDate(v) !== null, "must be a date as YYYY-MM-DD");

export const insightsParamsSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    lead: z.coerce
      .number()
      .refine((v): v is LeadDays => (LEADS as readonly number[]).includes(v), { message: `lead must be one of ${LEADS.join(", ")}` })
      .transform((v) => v as LeadDays)
      .default(DEFAULT_LEAD),
  })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: "must not be after to", path: ["from"] });

export type InsightsParams = z.output<typeof insightsParamsSchema>;

/** The period a request means, with defaults filled in from the as-of date. */
export interface ResolvedPeriod {
  from: string;
  to: string;
  lead: LeadDays;
}
