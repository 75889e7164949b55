/**
 * How numbers are written for people, in one place. Scores arrive as integer hundredths
 * and are shown with at most one decimal ("57.5"), deltas with a sign ("+12", "−3.5").
 */
const pointsFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const wholeFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const preciseFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const currencyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
// minimumFractionDigits: 0 spelled out: Node's ICU otherwise writes "$3.0K" where browsers
// write "$3K", and server-rendered text must match the browser's to hydrate.
const compactCurrencyFormat = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
// Made once: Date.toLocaleDateString(locale, options) builds a new formatter on every call,
// which cost about 0.2 ms each and a fifth of a call-list page's server rendering.
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const shortDateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

const MINUS = "\u2212";

function signed(text: string): string {
  return text.startsWith("-") ? MINUS + text.slice(1) : text;
}

/**
 * A score with one decimal ("57.5"), except where one decimal would round it onto a whole
 * number it is not: band boundaries are whole numbers, so 39.96 must not read "40" (medium)
 * on a low account, nor 0.04 read "0" (churn risk). Those show their hundredths ("39.96").
 */
export function formatPoints(hundredths: number): string {
  const text = pointsFormat.format(hundredths / 100);
  if (!text.includes(".") && Math.round(hundredths) % 100 !== 0) return signed(preciseFormat.format(hundredths / 100));
  return signed(text);
}

/**
 * A statistic of scores (a mean, a median, an axis value) with one decimal: it is no one
 * account's score and sits in no band, so it rounds plainly ("51", not "51.03").
 */
export function formatAverage(hundredths: number): string {
  return signed(pointsFormat.format(hundredths / 100));
}

/** Exact to the hundredth, for places where sums must visibly add up (contributions). */
export function formatPointsExact(hundredths: number): string {
  return signed(preciseFormat.format(hundredths / 100));
}

export function formatDelta(hundredths: number): string {
  if (hundredths === 0) return "0";
  const text = pointsFormat.format(Math.abs(hundredths) / 100);
  return hundredths > 0 ? `+${text}` : `${MINUS}${text}`;
}

export function formatCount(n: number): string {
  return wholeFormat.format(n);
}

/** A count with its noun, singular only for exactly one: "1 event", "0 events", "2,000 events". */
export function formatCountOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

export function formatPercent(share: number, digits = 0): string {
  return `${(share * 100).toFixed(digits)} %`;
}

export function formatCurrency(amount: number | null, compact = false): string {
  if (amount === null) return "—";
  return (compact ? compactCurrencyFormat : currencyFormat).format(amount);
}

/** "2026-11-22" → "22 Nov 2026" (dates are UTC calendar days). */
export function formatDate(isoDate: string | null): string {
  if (!isoDate) return "—";
  return dateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

/**
 * A signed difference that never rounds a non-zero value to "0": one decimal as usual, two
 * below one point (an interval bound of −0.01 must not read as "−0").
 */
export function formatDeltaFine(hundredths: number): string {
  const h = Math.round(hundredths);
  if (h === 0 || Math.abs(h) >= 100) return formatDelta(h);
  const text = preciseFormat.format(Math.abs(h) / 100);
  return h > 0 ? `+${text}` : `${MINUS}${text}`;
}

/** A confidence interval of a difference, e.g. "+1.7 to +28.3". */
export function formatInterval(lowerHundredths: number, upperHundredths: number): string {
  return `${formatDeltaFine(lowerHundredths)} to ${formatDeltaFine(upperHundredths)}`;
}

/** "2026-03-05" → "5 Mar" (axis ticks: the year is in the chart's caption). */
export function formatShortDate(isoDate: string): string {
  return shortDateFormat.format(new Date(`${isoDate}T00:00:00Z`));
}

/** A moment in UTC, e.g. "22 Nov 2026, 14:03 UTC" (the same on the server and in every browser). */
export function formatDateTime(ms: number | null): string {
  if (ms === null) return "—";
  const d = new Date(ms);
  return `${dateFormat.format(d)}, ${d.toISOString().slice(11, 16)} UTC`;
}

/** A number of bytes for people: "812 B", "3.4 KB", "12.5 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A day relative to today, in words: "today", "yesterday", "3 days ago", "in 12 days". */
export function formatRelativeDay(day: number, today: number): string {
  const diff = day - today;
  if (diff === 0) return "today";
  if (diff === -1) return "yesterday";
  if (diff === 1) return "tomorrow";
  return diff < 0 ? `${formatCount(-diff)} days ago` : `in ${formatCount(diff)} days`;
}

