import { z } from "zod";
import { MAX_ABS_WEIGHT } from "../scoring/points";

/**
 * Suggested weights travel to the weights editor in its URL (/admin/weights?suggested=…), as
 * unsaved edits: "key:points" pairs joined by commas, keys URI-encoded. Nothing is applied
 * until the admin previews and saves; a hand-edited link can at most fill the form.
 */
export const SUGGESTED_PARAM = "suggested";

export function encodeSuggestedWeights(weights: readonly { key: string; hundredths: number }[]): string {
  return weights.map((w) => `${encodeURIComponent(w.key)}:${(w.hundredths / 100).toFixed(2).replace(/\.?0+$/, "")}`).join(",");
}

const pair = z.tuple([z.string().min(1).max(200), z.coerce.number().finite().min(-MAX_ABS_WEIGHT).max(MAX_ABS_WEIGHT)]);

/** The weights in a `suggested` parameter, as the editor's text fields hold them; invalid pairs are dropped. */
export function decodeSuggestedWeights(text: string | null | undefined): Record<string, string> {
  const weights: Record<string, string> = {};
  if (!text) return weights;
  for (const item of text.split(",").slice(0, 500)) {
    const colon = item.lastIndexOf(":");
    if (colon <= 0) continue;
    let key: string;
    try {
      key = decodeURIComponent(item.slice(0, colon));
    } catch {
      continue;
    }
    const parsed = pair.safeParse([key, item.slice(colon + 1)]);
    if (parsed.success) weights[parsed.data[0]] = String(Math.round(parsed.data[1] * 100) / 100);
  }
  return weights;
}
