import { DEMO_EVENT_TYPES } from "@/lib/demo/catalog";
import { generateDemo } from "@/lib/demo/generate";
import { dayFromIsoDate, todayDay } from "@/lib/days";
import { bandFor } from "@/lib/scoring/bands";
import { aucWithInterval } from "@/lib/insights/roc";
const [acc, seed] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 42)];
const today = process.argv[4] ? dayFromIsoDate(process.argv[4]) : todayDay();
const items = [...generateDemo({ accounts: acc, seed, today, historyDays: 395 })];
const w = DEMO_EVENT_TYPES.map((t) => t.weight);
const bands = new Map<string, [number, number]>();
const cur = new Map<string, number>();
const pos: number[] = [], neg: number[] = [];
let outcomes = 0, scorable = 0, churnedAccts = 0;
const kinds = new Map<string, number>();
for (const { account, events, outcomes: os } of items) {
  if (account.stage === "churned") churnedAccts++;
  const score = (end: number) => { let s = 0; for (const e of events) if (e.day > end - 30 && e.day <= end) s += w[e.typeIndex] ?? 0; return s; };
  const b = bandFor(score(today - 1)); cur.set(b, (cur.get(b) ?? 0) + 1);
  for (const o of os) {
    outcomes++; kinds.set(o.outcome, (kinds.get(o.outcome) ?? 0) + 1);
    const r = dayFromIsoDate(o.renewalDate);
    if (r - 90 < today - 365) continue;
    scorable++;
    const s = score(r - 90);
    const band = bandFor(s);
    const t = bands.get(band) ?? [0, 0];
    t[1]++; if (o.outcome !== "churned") t[0]++;
    bands.set(band, t);
    (o.outcome !== "churned" ? pos : neg).push(s);
  }
}
console.log({ accounts: acc, outcomes, scorable, churnedAccts, kinds: Object.fromEntries(kinds) });
console.log("current bands", Object.fromEntries(cur));
for (const b of ["churn_risk", "low", "medium", "high", "power"]) { const t = bands.get(b) ?? [0, 0]; console.log(b.padEnd(11), t[1], (t[0] / t[1]).toFixed(2)); }
const tier = (bs: string[]) => { let a = 0, n = 0; for (const b of bs) { const t = bands.get(b) ?? [0, 0]; a += t[0]; n += t[1]; } return `${n} ${(a / n).toFixed(3)}`; };
console.log("tiers high", tier(["high", "power"]), "medium", tier(["medium"]), "low", tier(["low", "churn_risk"]));
console.log("AUC", aucWithInterval(pos, neg)?.auc.toFixed(3));
