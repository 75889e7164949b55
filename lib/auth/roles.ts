/**
 * The three roles, lowest first: a viewer reads, a manager also works call lists (contacts,
 * notes, snoozes), an administrator also configures the product and manages users. Pure, so
 * the proxy, pages, route handlers, scripts and tests share one definition.
 */
export const ROLES = ["viewer", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer",
  manager: "Manager",
  admin: "Admin",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Reads every view; changes nothing.",
  manager: "Reads every view and works call lists: contacts, notes, snoozes.",
  admin: "Everything: weights, settings, users, write keys and imports.",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `user` holds `minimum` or a higher role. */
export function hasRole(user: { role: Role }, minimum: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(minimum);
}
