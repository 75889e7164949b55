/**
 * Score bands (../shared/PRODUCT.md): ≤ churnRiskMax is churn risk, then low, medium from
 * `mediumFrom`, high from `highFrom`, power user above `powerAbove`. A value exactly on a
 * boundary belongs to the higher band (40 is medium, 80 is high); 100 is still high.
 */
export const BANDS = ["churn_risk", "low", "medium", "high", "power"] as const;
export type Band = (typeof BANDS)[number];

export interface BandThresholds {
  churnRiskMax: number;
  mediumFrom: number;
  highFrom: number;
  powerAbove: number;
}

export const DEFAULT_THRESHOLDS: BandThresholds = {
  churnRiskMax: 0,
  mediumFrom: 40,
  highFrom: 80,
  powerAbove: 100,
};

export function bandFor(points: number, t: BandThresholds = DEFAULT_THRESHOLDS): Band {
  if (points <= t.churnRiskMax) return "churn_risk";
  if (points < t.mediumFrom) return "low";
  if (points < t.highFrom) return "medium";
  if (points <= t.powerAbove) return "high";
  return "power";
}

export interface BandInfo {
  band: Band;
  label: string;
  /** What the team does with accounts in this band (PRODUCT.md). */
  playbook: string;
}

export const BAND_INFO: Record<Band, BandInfo> = {
  churn_risk: {
    band: "churn_risk",
    label: "Churn risk",
    playbook: "Negative signals outweigh usage: top of the low-tier call list, intervene now.",
  },
  low: {
    band: "low",
    label: "Low",
    playbook:
      "Very unengaged, historically very low renewal: nurture with in-app messaging, targeted ads and email until the account reaches 40–80, then call.",
  },
  medium: {
    band: "medium",
    label: "Medium",
    playbook: "Somewhat engaged, about 50 % renew: call three months before the renewal date and give extra attention.",
  },
  high: {
    band: "high",
    label: "High",
    playbook: "Very engaged, historically renew often: spend less time, look for upsell and cross-sell.",
  },
  power: {
    band: "power",
    label: "Power user",
    playbook: "Power users: upsell, advocacy, learn what they do right.",
  },
};

/** The range of a band as people read it, e.g. "40–80", "≤ 0", "> 100". */
export function bandRangeLabel(band: Band, t: BandThresholds = DEFAULT_THRESHOLDS): string {
  switch (band) {
    case "churn_risk":
      return `≤ ${t.churnRiskMax}`;
    case "low":
      return `${t.churnRiskMax + 1}–${t.mediumFrom}`;
    case "medium":
      return `${t.mediumFrom}–${t.highFrom}`;
    case "high":
      return `${t.highFrom}–${t.powerAbove}`;
    case "power":
      return `> ${t.powerAbove}`;
  }
}

/** The three call lists: each tier gathers the bands an account manager works together. */
export const TIERS = ["high", "medium", "low"] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_BANDS: Record<Tier, readonly Band[]> = {
  high: ["high", "power"],
  medium: ["medium"],
  low: ["low", "churn_risk"],
};

/** The tier whose list holds a band: read from TIER_BANDS, the one statement of which bands go together. */
export function tierFor(band: Band): Tier {
  const tier = TIERS.find((t) => TIER_BANDS[t].includes(band));
  if (tier === undefined) throw new Error(`The ${band} band is on no tier`);
  return tier;
}

export function bandRank(band: Band): number {
  return BANDS.indexOf(band);
}

export function isBand(value: string): value is Band {
  return (BANDS as readonly string[]).includes(value);
}
