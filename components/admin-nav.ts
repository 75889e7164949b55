/** The admin area's sections, in tab order. Each section adds its own entry here. */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { href: "/admin/keys", label: "Write keys", description: "Create and revoke the keys your apps and SDKs send data with; see what is waiting for an account." },
  { href: "/admin/import", label: "Import", description: "Upload accounts or events from a CSV file, with a preview and row-by-row checks." },
];
