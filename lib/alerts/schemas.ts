import { z } from "zod";
import { CONTACT_OUTCOMES } from "../accounts/contact-outcomes";
import { MAX_URL_LENGTH } from "./outbound";

/**
 * What the alert APIs accept (zod at the boundary; the browser forms use the same schemas).
 * The server adds what it alone may check: the URL policy (https unless allowed).
 */
export const DESTINATION_EVENT_VALUES = ["scores.changed", "configuration.changed"] as const;

const name = z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters");
const url = z.string().trim().min(1, "must not be empty").max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`);

export const createDestinationSchema = z.strictObject({
  kind: z.enum(["webhook", "slack"], { error: "must be webhook or slack" }),
  name,
  url,
  events: z.array(z.enum(DESTINATION_EVENT_VALUES, { error: `must be one of ${DESTINATION_EVENT_VALUES.join(", ")}` })).max(2).default([]),
});
export type CreateDestinationInput = z.infer<typeof createDestinationSchema>;

export const updateDestinationSchema = z.strictObject({
  name,
  /** Absent: keep the URL. */
  url: url.optional(),
  events: z.array(z.enum(DESTINATION_EVENT_VALUES, { error: `must be one of ${DESTINATION_EVENT_VALUES.join(", ")}` })).max(2),
  enabled: z.boolean({ error: "must be true or false" }),
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullable()
    .transform((v) => (v === "" ? null : v));

export const emailSettingsSchema = z.strictObject({
  smtpHost: optionalText(253).refine((v) => v === null || /^[A-Za-z0-9.-]+$/.test(v), "must be a host name or IP address, e.g. smtp.example.com"),
  smtpPort: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be between 1 and 65535").max(65_535, "must be between 1 and 65535"),
  smtpSecurity: z.enum(["starttls", "tls", "none"], { error: "must be starttls, tls or none" }),
  smtpUsername: optionalText(200),
  /** Absent: keep the stored password; null or "": remove it. */
  smtpPassword: z.string().max(500, "must be at most 500 characters").nullable().optional(),
  fromAddress: optionalText(320).refine((v) => v === null || /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(v), "must be an email address, e.g. CES <alerts@example.com>"),
  digestHourUtc: z.number({ error: "must be a number" }).int("must be a whole hour").min(0, "must be between 0 and 23").max(23, "must be between 0 and 23"),
});

export const testEmailSchema = z.strictObject({
  to: z.email({ error: "must be an email address" }).max(320),
});

export const completeTaskSchema = z.strictObject({
  outcome: z.enum(CONTACT_OUTCOMES, { error: `must be one of ${CONTACT_OUTCOMES.join(", ")}` }),
  note: z.string().max(2000, "must be at most 2,000 characters").default(""),
});

export const markReadSchema = z.strictObject({
  ids: z.union([z.literal("all"), z.array(z.number().int().positive()).min(1, "must name at least one notification").max(500)]),
});

export const emailPreferencesSchema = z.strictObject({
  digest: z.boolean({ error: "must be true or false" }),
  immediate: z.boolean({ error: "must be true or false" }),
});

export const unsubscribeSchema = z.strictObject({
  token: z.string().min(10, "is not a valid unsubscribe link").max(100, "is not a valid unsubscribe link"),
  list: z.enum(["digest", "immediate", "all"], { error: "must be digest, immediate or all" }).default("all"),
});

export const createApiTokenSchema = z.strictObject({
  label: z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters"),
  scopes: z.array(z.enum(["scores:read"], { error: "must be scores:read" })).min(1, "must grant at least one scope"),
});

export const tasksQuerySchema = z.strictObject({
  scope: z.enum(["mine", "all"], { error: "must be mine or all" }).optional(),
  status: z.enum(["open", "closed"], { error: "must be open or closed" }).default("open"),
  page: z.coerce.number({ error: "must be a number" }).int().min(1, "must be 1 or more").max(10_000).default(1),
});

export const deliveriesQuerySchema = z.strictObject({
  status: z.enum(["pending", "delivered", "failed"], { error: "must be pending, delivered or failed" }).optional(),
  page: z.coerce.number({ error: "must be a number" }).int().min(1, "must be 1 or more").max(10_000).default(1),
});
