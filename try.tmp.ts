import { openDatabase } from "@/db";
import { getSuggestion, getValidation } from "@/lib/server/insights";
const db = openDatabase("/tmp/seedtest.db");
let t = performance.now();
const v = getValidation(db, { lead: 90 });
console.log("validation ms", (performance.now() - t).toFixed(0));
console.log(v?.totals, v?.summary);
console.log(v?.tiers.map((x) => [x.label, x.n, x.rate?.toFixed(3), x.verdict]));
console.log(v?.bands.map((x) => [x.label, x.n, x.rate?.toFixed(3)]));
t = performance.now();
const s = getSuggestion(db, { lead: 90 });
console.log("suggestion ms", (performance.now() - t).toFixed(0));
const sg = s?.suggestion;
if (sg?.status === "ok") {
  console.log(sg.lambda, sg.scale, sg.scaleMethod, sg.currentAuc.auc.toFixed(3), sg.suggestedAuc.auc.toFixed(3), sg.difference, sg.probabilityAt);
  for (const w of sg.weights) console.log(w.key.padEnd(26), (w.weightHundredths / 100).toFixed(2).padStart(7), (w.suggestedHundredths / 100).toFixed(2).padStart(8), w.logOddsPerEvent.toFixed(4), w.noData);
} else console.log(sg);
