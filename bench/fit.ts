/**
 * npm run bench:fit [-- --rows 50000 --types 20 --runs 3 --json]
 *
 * Times the suggested-weights fit (issue #9): 5-fold cross-validated ridge logistic regression
 * over the λ grid, then the refit on every account, on synthetic outcomes generated in memory
 * from known weights (lib/insights/synthetic.ts). Target: ≤ 5 s at 50,000 accounts × 20 event
 * types. Prints one line per run and a summary; --json prints the summary as JSON (for the
 * unified `npm run bench` harness).
 */
import { parseArgs } from "node:util";
import { crossValidateRidgeLogistic } from "@/lib/insights/logistic";
import { syntheticLogisticData } from "@/lib/insights/synthetic";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "50000" },
    types: { type: "string", default: "20" },
    runs: { type: "string", default: "3" },
    json: { type: "boolean", default: false },
  },
});
const rows = Number(values.rows);
const types = Number(values.types);
const runs = Number(values.runs);
if (![rows, types, runs].every((v) => Number.isInteger(v) && v > 0)) {
  console.error("--rows, --types and --runs must be positive whole numbers");
  process.exit(2);
}

const TARGET_MS = 5000;
// Event types like the demo's: frequent ones with small weights, rare ones with larger, a few risks.
const rates = Array.from({ length: types }, (_, j) => [20, 10, 4, 1.5, 0.6, 0.2][j % 6] ?? 1);
const weights = Array.from({ length: types }, (_, j) => (j % 7 === 6 ? -0.4 : 0.02 + 0.3 / (rates[j] ?? 1)));
const data = syntheticLogisticData({ rows, intercept: -1.2, weights, rates, seed: 9 });

const times: number[] = [];
let summary = "";
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const cv = crossValidateRidgeLogistic(data, { folds: 5, seed: 1 });
  const ms = performance.now() - started;
  times.push(ms);
  summary = `λ = ${cv.lambdas[cv.best]?.toExponential(1)} chosen from ${cv.lambdas.length} by 5-fold cross-validation`;
  if (!values.json) console.log(`run ${run}: ${(ms / 1000).toFixed(2)} s (${summary})`);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const result = { benchmark: "fit", rows, types, folds: 5, runs, medianMs: Math.round(median), maxMs: Math.round(sorted.at(-1) ?? 0), targetMs: TARGET_MS, pass: (sorted.at(-1) ?? 0) <= TARGET_MS };
if (values.json) console.log(JSON.stringify(result));
else console.log(`${rows.toLocaleString("en-US")} accounts × ${types} event types: median ${(median / 1000).toFixed(2)} s, worst ${((sorted.at(-1) ?? 0) / 1000).toFixed(2)} s (target ≤ ${TARGET_MS / 1000} s) — ${result.pass ? "PASS" : "FAIL"}`);
process.exit(result.pass ? 0 : 1);
