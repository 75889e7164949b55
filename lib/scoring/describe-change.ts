import { formatPointsExact } from "../format";
import { SETTING_LABELS, type ConfigChange } from "./config";

/**
 * One configuration change in words, for the preview's change list and the version history.
 * Weights are written to the hundredth, exactly as they are typed and stored ("2.52", never
 * a rounded "2.5" beside the "2.52" in the form).
 */
export function describeChange(change: ConfigChange, labels: Record<string, string>): string {
  switch (change.kind) {
    case "weight":
      return `${labels[change.key] ?? change.key}: weight ${formatPointsExact(change.from)} → ${formatPointsExact(change.to)}`;
    case "active":
      return `${labels[change.key] ?? change.key}: ${change.to ? "activated" : "deactivated"}`;
    case "type_added":
      return `${labels[change.key] ?? change.key}: added with weight ${formatPointsExact(change.weightHundredths)}`;
    case "setting":
      return `${SETTING_LABELS[change.field]}: ${change.from} → ${change.to}`;
  }
}
