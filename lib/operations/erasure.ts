import { z } from "zod";

/** What an admin (or the API) asks to erase: one end user by the id their events carried, or one account by its external id. */
export const erasureRequestSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("end_user"),
      userId: z.string({ error: "userId is required: the userId (or anonymousId) the end user's events were sent with" }).trim().min(1, "userId must not be empty").max(400, "userId is at most 400 characters"),
    }),
    z.object({
      kind: z.literal("account"),
      externalId: z.string({ error: "externalId is required: the account's id in your product" }).trim().min(1, "externalId must not be empty").max(400, "externalId is at most 400 characters"),
    }),
  ],
  { error: 'kind must be "end_user" or "account"' },
);

export type ErasureRequest = z.infer<typeof erasureRequestSchema>;
