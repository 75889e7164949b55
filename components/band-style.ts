import type { Band } from "@/lib/scoring/bands";

/**
 * Tailwind classes per band, spelled out in full so the compiler sees them. The colours
 * themselves live once, as CSS variables in app/globals.css.
 */
export const BAND_CLASSES: Record<Band, { dot: string; badge: string; bar: string; text: string }> = {
  churn_risk: {
    dot: "bg-band-churn-risk",
    badge: "bg-band-churn-risk-soft text-band-churn-risk-ink ring-band-churn-risk/30",
    bar: "bg-band-churn-risk",
    text: "text-band-churn-risk-ink",
  },
  low: {
    dot: "bg-band-low",
    badge: "bg-band-low-soft text-band-low-ink ring-band-low/30",
    bar: "bg-band-low",
    text: "text-band-low-ink",
  },
  medium: {
    dot: "bg-band-medium",
    badge: "bg-band-medium-soft text-band-medium-ink ring-band-medium/30",
    bar: "bg-band-medium",
    text: "text-band-medium-ink",
  },
  high: {
    dot: "bg-band-high",
    badge: "bg-band-high-soft text-band-high-ink ring-band-high/30",
    bar: "bg-band-high",
    text: "text-band-high-ink",
  },
  power: {
    dot: "bg-band-power",
    badge: "bg-band-power-soft text-band-power-ink ring-band-power/30",
    bar: "bg-band-power",
    text: "text-band-power-ink",
  },
};

/** The CSS colour of a band, for SVG charts. */
export function bandColor(band: Band): string {
  return `var(--color-band-${band.replace("_", "-")})`;
}
