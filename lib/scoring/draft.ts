import { scoringConfigSchema, type ScoringConfig, type SettingField } from "./config";
import { toHundredths, weightProblem } from "./points";

/**
 * The weights editor's form state: what the admin typed, as text, per event type and per
 * setting. Converting it back to a configuration validates it with the same schema the
 * server uses, so the messages beside the fields are the server's messages.
 */
export interface ScoringDraft {
  weights: Record<string, string>;
  active: Record<string, boolean>;
  settings: Record<SettingField, string>;
}

export function draftFromConfig(config: ScoringConfig): ScoringDraft {
  const weights: Record<string, string> = {};
  const active: Record<string, boolean> = {};
  for (const [key, t] of Object.entries(config.types)) {
    weights[key] = String(t.weightHundredths / 100);
    active[key] = t.active;
  }
  const s = config.settings;
  return {
    weights,
    active,
    settings: {
      windowDays: String(s.windowDays),
      compareDays: String(s.compareDays),
      churnRiskMax: String(s.thresholds.churnRiskMax),
      mediumFrom: String(s.thresholds.mediumFrom),
      highFrom: String(s.thresholds.highFrom),
      powerAbove: String(s.thresholds.powerAbove),
      declinePercent: String(s.decline.declinePercent),
      declinePoints: String(s.decline.declinePoints),
    },
  };
}

/** Field path → message, e.g. "types.session_started.weight" or "settings.windowDays". */
export type DraftErrors = Record<string, string>;

function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? Number.NaN : Number(trimmed);
}

export function configFromDraft(draft: ScoringDraft): { config: ScoringConfig | null; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const types: ScoringConfig["types"] = {};
  for (const [key, text] of Object.entries(draft.weights)) {
    const value = parseNumber(text);
    const problem = weightProblem(value);
    if (problem) errors[`types.${key}.weight`] = `The weight ${problem}`;
    types[key] = { weightHundredths: problem ? 0 : toHundredths(value), active: draft.active[key] ?? true };
  }
  const n = (field: SettingField) => parseNumber(draft.settings[field]);
  const candidate = {
    settings: {
      windowDays: n("windowDays"),
      compareDays: n("compareDays"),
      thresholds: { churnRiskMax: n("churnRiskMax"), mediumFrom: n("mediumFrom"), highFrom: n("highFrom"), powerAbove: n("powerAbove") },
      decline: { declinePercent: n("declinePercent"), declinePoints: n("declinePoints") },
    },
    types,
  };
  const parsed = scoringConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // settings.thresholds.highFrom → settings.highFrom: one flat name per form field.
      const path = issue.path.map(String);
      const key = path[0] === "settings" ? `settings.${path[path.length - 1] ?? ""}` : path[0] === "types" ? `types.${path[1] ?? ""}.weight` : path.join(".");
      errors[key] ??= issue.message;
    }
  }
  return { config: Object.keys(errors).length === 0 && parsed.success ? parsed.data : null, errors };
}
