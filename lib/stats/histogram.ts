import { bandFor, type Band, type BandThresholds } from "../scoring/bands";

export interface HistogramBin {
  /** Human label, e.g. "≤ 0", "40–50", "≥ 150". */
  label: string;
  /** Inclusive lower bound in points (−Infinity for the churn-risk bin). */
  from: number;
  /** Exclusive upper bound in points (+Infinity for the last bin). */
  to: number;
  count: number;
  /** The band the bin's scores fall in (bins are aligned with the default thresholds). */
  band: Band;
}

export interface HistogramOptions {
  binWidth: number;
  /** Scores at or above this fall in the last, open bin. */
  max: number;
  thresholds: BandThresholds;
}

/**
 * Distribution of scores for the overview: one bin for churn risk (≤ churnRiskMax), then
 * bins of `binWidth` points from just above churnRiskMax up to `max`, then one open bin.
 * Scores are integer hundredths; each score lands in exactly one bin, whose band is the
 * score's own.
 */
export function scoreHistogram(scoresHundredths: Iterable<number>, options: HistogramOptions): HistogramBin[] {
  const { binWidth, max, thresholds } = options;
  const start = thresholds.churnRiskMax;
  const regular = Math.max(0, Math.ceil((max - start) / binWidth));
  const bins: HistogramBin[] = [
    { label: `≤ ${start}`, from: Number.NEGATIVE_INFINITY, to: start, count: 0, band: "churn_risk" },
  ];
  for (let i = 0; i < regular; i++) {
    const from = start + i * binWidth;
    const to = Math.min(from + binWidth, max);
    bins.push({ label: `${from}–${to}`, from, to, count: 0, band: bandFor(from + binWidth / 2, thresholds) });
  }
  bins.push({ label: `≥ ${max}`, from: max, to: Number.POSITIVE_INFINITY, count: 0, band: bandFor(max, thresholds) });

  for (const h of scoresHundredths) {
    const points = h / 100;
    let index: number;
    if (points <= start) index = 0;
    else if (points >= max) index = bins.length - 1;
    else index = 1 + Math.floor((points - start) / binWidth);
    // A score on the power-user threshold is high, not power (the power band starts above
    // it): it goes to the bin below, whose band and colour are its own ("90–100").
    const band = bandFor(points, thresholds);
    if (bins[index]?.band !== band && bins[index - 1]?.band === band) index -= 1;
    const bin = bins[index];
    if (bin) bin.count++;
  }
  return bins;
}
