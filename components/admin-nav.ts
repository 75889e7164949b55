/** The admin area's sections, in tab order. Each section adds its own entry here. */
export interface AdminSection {
  href: string;
  label: string;
  description: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { href: "/admin/weights", label: "Weights & scoring", description: "Weigh each event type, set bands and the window, preview the impact, save versions." },
];
