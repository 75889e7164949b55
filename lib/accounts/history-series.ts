import { dayFromIsoDate, isoDateFromDay } from "../days";
import { BANDS, type Band, type BandThresholds } from "../scoring/bands";

export interface HistoryPoint {
  day: number;
  date: string;
  /** Score in points (hundredths / 100). */
  score: number;
}

/** The stored daily history (hundredths from a start date) as chart points. */
export function historySeries(startDate: string, valuesHundredths: readonly number[]): HistoryPoint[] {
  const start = dayFromIsoDate(startDate);
  return valuesHundredths.map((v, i) => ({ day: start + i, date: isoDateFromDay(start + i), score: v / 100 }));
}

/**
 * The score axis of a history chart: always wide enough to show the medium and high
 * thresholds, so every chart reads against the bands, and padded by a tenth of its span.
 */
export function scoreAxisDomain(points: readonly HistoryPoint[], t: BandThresholds): [number, number] {
  let min = Math.min(t.churnRiskMax, ...points.map((p) => p.score));
  let max = Math.max(t.powerAbove, ...points.map((p) => p.score));
  const pad = Math.max(5, (max - min) * 0.08);
  min = Math.floor((min - pad) / 10) * 10;
  max = Math.ceil((max + pad) / 10) * 10;
  return [min, max];
}

export interface BandArea {
  band: Band;
  from: number;
  to: number;
}

/** The score range of each band within the axis, lowest first, for shading behind the line. */
export function bandAreas(domain: [number, number], t: BandThresholds): BandArea[] {
  const edges: Record<Band, [number, number]> = {
    churn_risk: [domain[0], t.churnRiskMax],
    low: [t.churnRiskMax, t.mediumFrom],
    medium: [t.mediumFrom, t.highFrom],
    high: [t.highFrom, t.powerAbove],
    power: [t.powerAbove, domain[1]],
  };
  return BANDS.map((band) => ({ band, from: Math.max(domain[0], edges[band][0]), to: Math.min(domain[1], edges[band][1]) })).filter((a) => a.to > a.from);
}

/**
 * Round ticks for a score axis: the smallest step of 1, 2 or 5 × a power of ten that gives at
 * most nine ticks (so the default thresholds 0, 40, 80 and 100 usually fall on ticks).
 */
export function scoreTicks(domain: [number, number]): number[] {
  const span = domain[1] - domain[0];
  if (!(span > 0)) return [domain[0]];
  let step = 10 ** Math.floor(Math.log10(span / 8));
  for (const m of [1, 2, 5, 10]) {
    step = m * 10 ** Math.floor(Math.log10(span / 8));
    if (Math.floor(span / step) + 1 <= 9) break;
  }
  const ticks: number[] = [];
  for (let v = Math.ceil(domain[0] / step) * step; v <= domain[1] + 1e-9; v += step) ticks.push(Math.round(v * 100) / 100 || 0);
  return ticks;
}
