import { z } from "zod";

/** ?page=&pageSize= for the audit log, page and API alike. */
export const auditQuerySchema = z.object({
  page: z.coerce.number({ error: "page must be a number" }).int("page must be a whole number").min(1, "page must be at least 1").max(1_000_000).default(1),
  pageSize: z.coerce.number({ error: "pageSize must be a number" }).int().min(1, "pageSize must be at least 1").max(200, "pageSize must be at most 200").default(25),
});
