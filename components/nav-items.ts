import { hasRole, type Role } from "@/lib/auth/roles";

export interface NavItem {
  href: string;
  label: string;
  /** Shown only to users with at least this role (the server enforces it regardless). */
  minRole?: Role;
  /** SVG path data for a 24×24 outline icon. */
  icon: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview", icon: "M3 12l9-8 9 8M5 10v10h5v-6h4v6h5V10" },
  { href: "/accounts", label: "Accounts", icon: "M4 6h16M4 12h16M4 18h10" },
  { href: "/tasks", label: "My tasks", minRole: "manager", icon: "M9 11l3 3 8-8M20 12v7a1 1 0 01-1 1H5a1 1 0 01-1-1V5a1 1 0 011-1h11" },
  { href: "/segments", label: "Segments", icon: "M4 20V10M10 20V4M16 20v-7M22 20H2" },
  { href: "/trends", label: "Trends", icon: "M3 17l6-6 4 4 8-8M15 7h6v6" },
  { href: "/insights", label: "Insights", icon: "M9 12l2 2 4-4M12 3l7 4v5c0 4.5-3 8.3-7 9-4-.7-7-4.5-7-9V7l7-4z" },
  { href: "/admin", label: "Admin", minRole: "admin", icon: "M12 15a3 3 0 100-6 3 3 0 000 6zM19.4 15a1.7 1.7 0 00.3 1.8l.1.1a2 2 0 11-2.8 2.8l-.1-.1a1.7 1.7 0 00-1.8-.3 1.7 1.7 0 00-1 1.5V21a2 2 0 11-4 0v-.1a1.7 1.7 0 00-1.1-1.5 1.7 1.7 0 00-1.8.3l-.1.1a2 2 0 11-2.8-2.8l.1-.1a1.7 1.7 0 00.3-1.8 1.7 1.7 0 00-1.5-1H3a2 2 0 110-4h.1a1.7 1.7 0 001.5-1.1 1.7 1.7 0 00-.3-1.8l-.1-.1a2 2 0 112.8-2.8l.1.1a1.7 1.7 0 001.8.3H9a1.7 1.7 0 001-1.5V3a2 2 0 114 0v.1a1.7 1.7 0 001 1.5 1.7 1.7 0 001.8-.3l.1-.1a2 2 0 112.8 2.8l-.1.1a1.7 1.7 0 00-.3 1.8V9a1.7 1.7 0 001.5 1H21a2 2 0 110 4h-.1a1.7 1.7 0 00-1.5 1z" },
];

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.minRole || hasRole({ role }, item.minRole));
}
