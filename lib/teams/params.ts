import { z } from "zod";
import { DIMENSIONS, type Dimension } from "./dimensions";

/**
 * The choices of the team views, as they appear in the URL and in API query strings. One
 * schema per view, shared by pages (searchParams), route handlers and client components, so
 * a URL always means the same thing wherever it is read. Unknown values fall back to the
 * defaults on pages; the APIs reject them with a 400 naming the parameter.
 */
export const RANGES = [30, 90, 180, 365] as const;
export type RangeDays = (typeof RANGES)[number];
export const WINDOWS = [30, 60, 90, 180] as const;
export type WindowDays = (typeof WINDOWS)[number];
export const HORIZONS = [30, 60, 90] as const;
export type HorizonDays = (typeof HORIZONS)[number];
export const METRICS = ["mean", "median"] as const;
export type Metric = (typeof METRICS)[number];

/** Days since signup the cohort view follows. */
export const COHORT_MAX_AGE = 180;
/** At most this many segments are drawn side by side. */
export const MAX_COMPARED_SEGMENTS = 8;

const dimension = z.enum(DIMENSIONS);
function oneOf<T extends number>(values: readonly T[], name: string) {
  return z.coerce
    .number()
    .refine((v): v is T => (values as readonly number[]).includes(v), { message: `${name} must be one of ${values.join(", ")}` })
    .transform((v) => v as T);
}
/**
 * Segment keys travel as one comma-separated parameter; a comma or percent sign inside a key
 * (a tag or plan name may hold one) is escaped as %2C / %25 first.
 */
export function encodeSegmentList(keys: readonly string[]): string {
  return keys.map((k) => k.replaceAll("%", "%25").replaceAll(",", "%2C")).join(",");
}

export function decodeSegmentList(text: string): string[] {
  const keys = text
    .split(",")
    .map((k) => k.replaceAll("%2C", ",").replaceAll("%25", "%").trim())
    .filter((k) => k.length > 0);
  return [...new Set(keys)];
}

const segmentList = z
  .string()
  .max(4000)
  .transform(decodeSegmentList)
  .pipe(z.array(z.string().max(200)).max(MAX_COMPARED_SEGMENTS, `choose at most ${MAX_COMPARED_SEGMENTS} segments`));

export const SEGMENT_SORTS = ["segment", "accounts", "mean", "median", "churn", "declining", "engaged"] as const;
export type SegmentSort = (typeof SEGMENT_SORTS)[number];

export const segmentsParamsSchema = z.object({
  dimension: dimension.default("plan"),
  compare: segmentList.optional(),
  /** Table order; without it segments come in their natural order (size, or time for cohorts). */
  sort: z.enum(SEGMENT_SORTS).optional(),
  order: z.enum(["asc", "desc"]).default("desc"),
});
export type SegmentsParams = z.output<typeof segmentsParamsSchema>;

export const trendsParamsSchema = z.object({
  range: oneOf(RANGES, "range").default(365),
  dimension: dimension.optional(),
  segments: segmentList.optional(),
  metric: z.enum(METRICS).default("mean"),
});
export type TrendsParams = z.output<typeof trendsParamsSchema>;

export const compareParamsSchema = z.object({
  marker: z.coerce.number().int().positive().optional(),
  window: oneOf(WINDOWS, "window").default(90),
  dimension: dimension.default("plan"),
  horizon: oneOf(HORIZONS, "horizon").default(30),
  /** Restricts the cohort view to one segment of `dimension`. */
  cohort: z.string().max(200).optional(),
});
export type CompareParams = z.output<typeof compareParamsSchema>;

type SearchParams = Record<string, string | string[] | undefined> | URLSearchParams;

function toRecord(params: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  if (params instanceof URLSearchParams) {
    for (const [k, v] of params) out[k] = v;
  } else {
    for (const [k, v] of Object.entries(params)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (value !== undefined && value !== "") out[k] = value;
    }
  }
  return out;
}

/** Strict parse, for APIs: a zod error names the offending parameter. */
export function parseParams<S extends z.ZodType>(schema: S, params: SearchParams) {
  return schema.safeParse(toRecord(params));
}

/**
 * Lenient parse, for pages: each invalid parameter is dropped (its default applies) so a
 * stale or hand-edited URL still opens the page.
 */
export function parsePageParams<T>(schema: z.ZodType<T>, params: SearchParams): T {
  const record = toRecord(params);
  for (let attempt = 0; attempt < 8; attempt++) {
    const parsed = schema.safeParse(record);
    if (parsed.success) return parsed.data;
    const bad = parsed.error.issues[0]?.path[0];
    if (typeof bad !== "string" || !(bad in record)) break;
    delete record[bad];
  }
  return schema.parse({});
}

/**
 * A view's defaults: what its schema makes of an empty query. The schemas above are the one
 * statement of them; URLs leave them out (toQueryString) and components never restate them.
 */
export function viewDefaults<T>(schema: z.ZodType<T>): T {
  return schema.parse({});
}

/** Query string for a view's params, leaving out defaults so URLs stay short. */
export function toQueryString(values: Record<string, string | number | readonly string[] | undefined>, defaults: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const text = Array.isArray(v) ? encodeSegmentList(v) : String(v);
    if (text === "" || String(defaults[k] ?? "") === text) continue;
    search.set(k, text);
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

export type { Dimension };
