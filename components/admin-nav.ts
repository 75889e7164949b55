/** The admin area's sections, in tab order. Each section adds its own entry here. */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    href: "/admin/tags",
    label: "Tags",
    description: "Tag accounts in bulk, by filter or by a list of external ids. Tags are a segment dimension.",
  },
];
