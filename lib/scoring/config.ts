import { z } from "zod";
import { DEFAULT_THRESHOLDS, type BandThresholds } from "./bands";
import { DEFAULT_DECLINE_RULE, type DeclineRule } from "./decline";
import { MAX_ABS_WEIGHT } from "./points";

/**
 * A scoring configuration: the settings and every event type's weight and active flag.
 * Saved configurations are versioned (config_versions.snapshot holds one of these as JSON).
 * Weights are integer hundredths of a point.
 */
export interface ScoringSettingsValues {
  windowDays: number;
  compareDays: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
}

export interface TypeConfig {
  weightHundredths: number;
  active: boolean;
}

export interface ScoringConfig {
  settings: ScoringSettingsValues;
  /** By event type key. */
  types: Record<string, TypeConfig>;
}

/** The settings a new installation starts with (the scoring_settings row's column defaults). */
export const DEFAULT_SETTINGS: ScoringSettingsValues = { windowDays: 30, compareDays: 30, thresholds: DEFAULT_THRESHOLDS, decline: DEFAULT_DECLINE_RULE };

/**
 * What is in force before any version is saved (version 0): the default settings, and every
 * event type counting with weight 0 (types arrive by ingestion or are added with weight 0).
 */
export function builtInConfig(typeKeys: Iterable<string>): ScoringConfig {
  const types: Record<string, TypeConfig> = {};
  for (const key of typeKeys) types[key] = { weightHundredths: 0, active: true };
  return { settings: DEFAULT_SETTINGS, types };
}

/** How a configuration version is named for people; 0 is the built-in defaults, never saved. */
export function configVersionLabel(version: number): string {
  return version === 0 ? "built-in defaults" : `v${version}`;
}

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

export const settingsSchema = z.object({
  windowDays: wholeNumber("The window", 1, 365),
  compareDays: wholeNumber("The comparison period", 1, 365),
  thresholds: z.object({
    churnRiskMax: wholeNumber("The churn-risk maximum", -100_000, 100_000),
    mediumFrom: wholeNumber("The start of the medium band", -100_000, 100_000),
    highFrom: wholeNumber("The start of the high band", -100_000, 100_000),
    powerAbove: wholeNumber("The power-user threshold", -100_000, 100_000),
  }),
  decline: z.object({
    declinePercent: wholeNumber("The decline percentage", 1, 100),
    declinePoints: wholeNumber("The decline in points", 0, 100_000),
  }),
});

export const typeConfigSchema = z.object({
  weightHundredths: z
    .number({ error: "The weight must be a number" })
    .int("The weight may have at most two decimals")
    .min(-MAX_ABS_WEIGHT * 100, `The weight must be between -${MAX_ABS_WEIGHT} and ${MAX_ABS_WEIGHT}`)
    .max(MAX_ABS_WEIGHT * 100, `The weight must be between -${MAX_ABS_WEIGHT} and ${MAX_ABS_WEIGHT}`),
  active: z.boolean(),
});

export const scoringConfigSchema = z
  .object({
    settings: settingsSchema,
    types: z.record(z.string().min(1), typeConfigSchema),
  })
  .superRefine((config, ctx) => {
    const t = config.settings.thresholds;
    if (!(t.churnRiskMax < t.mediumFrom)) {
      ctx.addIssue({ code: "custom", path: ["settings", "thresholds", "mediumFrom"], message: "The medium band must start above the churn-risk maximum" });
    }
    if (!(t.mediumFrom < t.highFrom)) {
      ctx.addIssue({ code: "custom", path: ["settings", "thresholds", "highFrom"], message: "The high band must start above the start of the medium band" });
    }
    if (!(t.highFrom <= t.powerAbove)) {
      ctx.addIssue({ code: "custom", path: ["settings", "thresholds", "powerAbove"], message: "The power-user threshold must be at or above the start of the high band" });
    }
  });

export type ConfigChange =
  | { kind: "weight"; key: string; from: number; to: number }
  | { kind: "active"; key: string; from: boolean; to: boolean }
  | { kind: "type_added"; key: string; weightHundredths: number; active: boolean }
  | { kind: "setting"; field: SettingField; from: number; to: number };

export type SettingField =
  | "windowDays"
  | "compareDays"
  | "churnRiskMax"
  | "mediumFrom"
  | "highFrom"
  | "powerAbove"
  | "declinePercent"
  | "declinePoints";

export const SETTING_LABELS: Record<SettingField, string> = {
  windowDays: "Scoring window (days)",
  compareDays: "Compare against (days ago)",
  churnRiskMax: "Churn risk at or below",
  mediumFrom: "Medium band from",
  highFrom: "High band from",
  powerAbove: "Power users above",
  declinePercent: "Declining: fall of at least (%)",
  declinePoints: "Declining: fall of at least (points)",
};

function flatSettings(s: ScoringSettingsValues): Record<SettingField, number> {
  return {
    windowDays: s.windowDays,
    compareDays: s.compareDays,
    churnRiskMax: s.thresholds.churnRiskMax,
    mediumFrom: s.thresholds.mediumFrom,
    highFrom: s.thresholds.highFrom,
    powerAbove: s.thresholds.powerAbove,
    declinePercent: s.decline.declinePercent,
    declinePoints: s.decline.declinePoints,
  };
}

/**
 * What changed from one configuration to the next, settings first, then event types by key.
 * A type missing from `before` is "added"; a type missing from `after` is unchanged (types are
 * never deleted while they have events, and a snapshot may predate a type).
 */
export function diffConfigs(before: ScoringConfig | null, after: ScoringConfig): ConfigChange[] {
  const changes: ConfigChange[] = [];
  if (before) {
    const a = flatSettings(before.settings);
    const b = flatSettings(after.settings);
    for (const field of Object.keys(SETTING_LABELS) as SettingField[]) {
      if (a[field] !== b[field]) changes.push({ kind: "setting", field, from: a[field], to: b[field] });
    }
  }
  for (const key of Object.keys(after.types).sort()) {
    const next = after.types[key];
    if (!next) continue;
    const prev = before?.types[key];
    if (!prev) {
      if (before) changes.push({ kind: "type_added", key, weightHundredths: next.weightHundredths, active: next.active });
      continue;
    }
    if (prev.weightHundredths !== next.weightHundredths) changes.push({ kind: "weight", key, from: prev.weightHundredths, to: next.weightHundredths });
    if (prev.active !== next.active) changes.push({ kind: "active", key, from: prev.active, to: next.active });
  }
  return changes;
}

/** True when two configurations would score every account identically. */
export function sameScoring(a: ScoringConfig, b: ScoringConfig): boolean {
  const effective = (c: ScoringConfig, key: string) => {
    const t = c.types[key];
    return t && t.active ? t.weightHundredths : 0;
  };
  const keys = new Set([...Object.keys(a.types), ...Object.keys(b.types)]);
  for (const key of keys) if (effective(a, key) !== effective(b, key)) return false;
  const fa = flatSettings(a.settings);
  const fb = flatSettings(b.settings);
  return (Object.keys(fa) as SettingField[]).every((f) => fa[f] === fb[f]);
}
