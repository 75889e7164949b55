import "server-only";
import type { Db } from "@/db/client";
import { getBeforeAfter } from "./compare";
import { getSegments, getTrends } from "./queries";

/**
 * Computes the team views' default figures ahead of the first visitor (after a start, a new
 * day or new data): the dataset load and the first median series are the slow parts (about
 * 1 s and 0.5 s at 50,000 accounts). Everything is memoised, so an unchanged dataset costs
 * next to nothing. Returns the milliseconds spent.
 */
export async function warmTeamViews(db: Db): Promise<number> {
  const started = performance.now();
  if ((await getSegments(db, { dimension: "plan" })) === null) return 0;
  await getTrends(db, { range: 365, metric: "mean" });
  await getBeforeAfter(db, { window: 90, dimension: "plan", horizon: 30 });
  return Math.round(performance.now() - started);
}
