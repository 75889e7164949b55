import type { MarkerLabelInput } from "@/lib/teams/marker-labels";
import { dayFromIsoDate } from "@/lib/days";

/** A marker's key: its date and title (two markers of one day and title are one marker). */
export function markerKey(m: { date: string; title: string }): string {
  return `${m.date}-${m.title}`;
}

/** The label inputs of markers on a chart whose x axis runs from `first` to `last` (ISO dates). */
export function dateMarkerLabels(markers: readonly { date: string; title: string }[], first: string, last: string): MarkerLabelInput[] {
  const from = dayFromIsoDate(first);
  const span = Math.max(1, dayFromIsoDate(last) - from);
  return markers.map((m) => ({ key: markerKey(m), position: (dayFromIsoDate(m.date) - from) / span, text: m.title }));
}
