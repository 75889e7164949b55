/**
 * Scores and weights are stored and computed as integer hundredths of a point, so that
 * Σ weight × count is exact and the contributions shown always add up to the score shown.
 */
export type Hundredths = number;

export function toHundredths(points: number): Hundredths {
  return Math.round(points * 100);
}

export function fromHundredths(hundredths: Hundredths): number {
  return hundredths / 100;
}

/** A weight is valid when finite, within ±1,000 points and given to at most two decimals. */
export const MAX_ABS_WEIGHT = 1000;

export function weightProblem(points: number): string | null {
  if (!Number.isFinite(points)) return "must be a finite number";
  if (Math.abs(points) > MAX_ABS_WEIGHT) return `must be between -${MAX_ABS_WEIGHT} and ${MAX_ABS_WEIGHT}`;
  if (Math.abs(points * 100 - Math.round(points * 100)) > 1e-6) return "may have at most two decimals";
  return null;
}
