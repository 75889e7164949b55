import { BAND_INFO, bandRank, type Band } from "./bands";

export interface BandChange {
  direction: "down" | "up" | "same";
  /** "medium → low" (lower case, as it reads in a sentence); "" when the band is the same. */
  label: string;
}

function name(band: Band): string {
  return BAND_INFO[band].label.toLowerCase();
}

/** How an account's band changed since the comparison day. */
export function bandChange(previous: Band, current: Band): BandChange {
  const diff = bandRank(current) - bandRank(previous);
  if (diff === 0) return { direction: "same", label: "" };
  return { direction: diff < 0 ? "down" : "up", label: `${name(previous)} → ${name(current)}` };
}
