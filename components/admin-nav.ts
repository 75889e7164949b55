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
  { href: "/admin/keys", label: "Write keys", description: "Create and revoke the keys your apps and SDKs send data with; see what is waiting for an account." },
  { href: "/admin/import", label: "Import", description: "Upload accounts, events or renewal outcomes from a CSV file, with a preview and row-by-row checks." },
  { href: "/admin/alerts", label: "Alerts", description: "Rules that turn score changes into tasks and alerts; Slack, signed webhooks, email and the daily digest." },
  { href: "/admin/api-tokens", label: "API tokens", description: "Read-only tokens for CRMs and BI tools to pull scores through the read API." },
  { href: "/admin/data", label: "Data", description: "How long raw events are kept; erase everything stored about one end user or one account." },
];
