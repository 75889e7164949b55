import { formatDelta } from "../../format";
import type { ComparisonFigure } from "./types";

/**
 * New and existing accounts' results in one sentence a team lead can repeat: how accounts
 * that started after the change engage compared with those that started before, and whether
 * the accounts already on board moved beyond their normal drift over the same months.
 */

function delta(row: ComparisonFigure): string {
  return row.meanDifference ? `${formatDelta(Math.round(row.meanDifference.estimateHundredths))} points` : "";
}

function newAccountsPart(row: ComparisonFigure, age: number): string {
  const v = row.verdict;
  switch (v.kind) {
    case "higher":
      return `New accounts engage faster after the change (${delta(row)} at day ${age}, beyond what quiet dates show)`;
    case "lower":
      return `New accounts engage more slowly after the change (${delta(row)} at day ${age}, beyond what quiet dates show)`;
    case "no_clear_effect":
      return `New accounts engage no differently after the change (no clear effect at day ${age})`;
    case "too_small":
      return v.reason === "accounts"
        ? "Too few new accounts have reached day " + age + " to judge them yet"
        : `New accounts' difference (${delta(row)} at day ${age}) cannot be told from normal variation: too little quiet history`;
  }
}

function existingPart(row: ComparisonFigure): string {
  const v = row.verdict;
  switch (v.kind) {
    case "higher":
      return `existing accounts' scores rose beyond their normal drift (${delta(row)})`;
    case "lower":
      return `existing accounts' scores fell beyond their normal drift (${delta(row)})`;
    case "no_clear_effect":
      return v.reason === "includes_zero" ? "existing accounts show no clear change" : `existing accounts show no change beyond their normal drift (${delta(row)})`;
    case "too_small":
      return v.reason === "accounts"
        ? "there are too few existing accounts to judge"
        : `for existing accounts the history is too short to tell their change (${delta(row)}) from normal drift`;
  }
}

function moved(row: ComparisonFigure): "up" | "down" | null {
  return row.verdict.kind === "higher" ? "up" : row.verdict.kind === "lower" ? "down" : null;
}

export function summarySentence(cohort: { headline: ComparisonFigure; age: number } | null, existing: ComparisonFigure | null, overlapping: readonly string[]): string | null {
  if (!cohort && !existing) return null;
  const parts: string[] = [];
  if (cohort) parts.push(newAccountsPart(cohort.headline, cohort.age));
  if (existing) parts.push(existingPart(existing));
  let sentence = parts.join("; ");
  sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  const newMove = cohort ? moved(cohort.headline) : null;
  const oldMove = existing ? moved(existing) : null;
  if (newMove && oldMove === null && existing?.verdict.kind === "no_clear_effect") sentence += ", so the difference is specific to accounts that started after the change";
  else if (newMove && newMove === oldMove) sentence += ", so part of the new accounts' difference may be a shift in every account's score";
  sentence += ".";
  if (overlapping.length > 0) sentence += ` Other changes in these windows (${overlapping.map((t) => `“${t}”`).join(", ")}) share the credit.`;
  return sentence;
}
