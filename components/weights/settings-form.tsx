"use client";

import { SETTING_LABELS, type SettingField } from "@/lib/scoring/config";
import type { DraftErrors } from "@/lib/scoring/draft";
import { Card } from "../card";
import { NumberField } from "./field";

const GROUPS: { title: string; fields: SettingField[] }[] = [
  { title: "Window", fields: ["windowDays", "compareDays"] },
  { title: "Band thresholds (points)", fields: ["churnRiskMax", "mediumFrom", "highFrom", "powerAbove"] },
  { title: "Declining", fields: ["declinePercent", "declinePoints"] },
];

const HINTS: Partial<Record<SettingField, string>> = {
  windowDays: "1–365 days of events count towards a score",
  compareDays: "Change and declining compare with the score this many days ago",
  mediumFrom: "A boundary value belongs to the higher band",
  declinePoints: "Declining needs both the percentage and the points",
};

export function SettingsForm({ values, errors, onChange }: { values: Record<SettingField, string>; errors: DraftErrors; onChange: (field: SettingField, value: string) => void }) {
  return (
    <Card title="Scoring settings" description="Versioned and previewed together with the weights">
      <div className="space-y-5">
        {GROUPS.map((g) => (
          <fieldset key={g.title}>
            <legend className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{g.title}</legend>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
              {g.fields.map((f) => (
                <NumberField
                  key={f}
                  id={`setting-${f}`}
                  label={SETTING_LABELS[f]}
                  hint={HINTS[f]}
                  error={errors[`settings.${f}`]}
                  value={values[f]}
                  onChange={(e) => onChange(f, e.target.value)}
                />
              ))}
            </div>
          </fieldset>
        ))}
      </div>
    </Card>
  );
}
