import type { Hundredths } from "./points";
import type { Contribution } from "./score";

/** How one event type moved the score between the comparison window and the current one. */
export interface TypeMovement {
  typeId: number;
  weightHundredths: Hundredths;
  previousCount: number;
  currentCount: number;
  previousHundredths: Hundredths;
  currentHundredths: Hundredths;
  /** currentHundredths − previousHundredths. */
  deltaHundredths: Hundredths;
}

/**
 * "Why it moved": the change of the score since the comparison day, split by event type.
 * Both windows are weighed with the same (current) weights, as the stored scores are, so
 * the deltas add up exactly to current score − previous score. Types that did not move are
 * kept (delta 0) so every type seen in either window is accounted for; the largest moves
 * come first, falls before rises of the same size.
 */
export function scoreMovement(current: readonly Contribution[], previous: readonly Contribution[]): TypeMovement[] {
  const byType = new Map<number, TypeMovement>();
  const entry = (c: Contribution): TypeMovement => {
    let m = byType.get(c.typeId);
    if (!m) {
      m = { typeId: c.typeId, weightHundredths: c.weightHundredths, previousCount: 0, currentCount: 0, previousHundredths: 0, currentHundredths: 0, deltaHundredths: 0 };
      byType.set(c.typeId, m);
    }
    return m;
  };
  for (const c of previous) {
    const m = entry(c);
    m.previousCount += c.count;
    m.previousHundredths += c.pointsHundredths;
  }
  for (const c of current) {
    const m = entry(c);
    m.currentCount += c.count;
    m.currentHundredths += c.pointsHundredths;
  }
  const result = [...byType.values()];
  for (const m of result) m.deltaHundredths = m.currentHundredths - m.previousHundredths;
  return result.sort(
    (a, b) => Math.abs(b.deltaHundredths) - Math.abs(a.deltaHundredths) || a.deltaHundredths - b.deltaHundredths || a.typeId - b.typeId,
  );
}
