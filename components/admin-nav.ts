/** The admin area's sections, in tab order. Each section adds its own entry here. */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { href: "/admin/weights", label: "Weights & scoring", description: "Weigh each event type, set bands and the window, preview the impact, save versions." },
  { href: "/admin/users", label: "Users", description: "Add teammates, set their role and book of accounts, deactivate people who left." },
  { href: "/admin/audit", label: "Audit log", description: "Every administrative change: who did what, and when." },
  {
    href: "/admin/tags",
    label: "Tags",
    description: "Tag accounts in bulk, by filter or by a list of external ids. Tags are a segment dimension.",
  },
];
