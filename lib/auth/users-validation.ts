import { z } from "zod";
import { ROLES } from "./roles";
import { cleanLine } from "../text-safety";

/**
 * The shape of user input, shared by the forms (to explain mistakes as the user types) and
 * the route handlers (which validate again: the client is never trusted).
 */
export const PASSWORD_RULES = { min: 10, max: 128 } as const;

export const passwordSchema = z
  .string({ error: "Enter a password" })
  .min(PASSWORD_RULES.min, `Use at least ${PASSWORD_RULES.min} characters`)
  .max(PASSWORD_RULES.max, `Use at most ${PASSWORD_RULES.max} characters`);

export const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long")
  .pipe(z.email("Enter a valid email address"));

export const nameSchema = z
  .string({ error: "Enter a name" })
  .transform(cleanLine)
  .pipe(z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters"));

/** The account-manager name whose book the user works; "" or null means none. */
export const bookSchema = z
  .string()
  .transform(cleanLine)
  .pipe(z.string().trim().max(200, "Use at most 200 characters"))
  .nullable()
  .transform((v) => (v === null || v === "" ? null : v));

export const roleSchema = z.enum(ROLES, { error: "Choose viewer, manager or admin" });

export const createUserSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  role: roleSchema,
  accountManagerName: bookSchema.default(null),
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    name: nameSchema.optional(),
    role: roleSchema.optional(),
    accountManagerName: bookSchema.optional(),
    active: z.boolean({ error: "active must be true or false" }).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to change" });
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const resetPasswordSchema = z.object({ password: passwordSchema });

export const setupSchema = z.object({ name: nameSchema, email: emailSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;

/** A strong random password for a new user, shown once to the administrator. */
export function generatePassword(length = 16): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}
