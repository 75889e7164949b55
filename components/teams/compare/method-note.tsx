import { formatCount, formatDate } from "@/lib/format";
import type { CompareData, PlaceboDates } from "@/lib/teams/compare/types";

function datesText(dates: PlaceboDates): string {
  if (dates.count === 0) return "none: the history holds no such dates";
  const runs = dates.runs.map((r) => (r.from === r.to ? formatDate(r.from) : `${formatDate(r.from)} – ${formatDate(r.to)}`));
  return `${formatCount(dates.count)} dates: ${runs.join("; ")}`;
}

/** "How these figures are computed": the method, the quiet dates used, the intervals and the correction, in plain words. */
export function MethodNote({ data }: { data: CompareData }) {
  const { method } = data;
  return (
    <details className="rounded-lg border border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700" data-testid="method-note">
      <summary className="cursor-pointer select-none font-medium text-slate-800 marker:text-slate-400">How these figures are computed</summary>
      <ul className="mt-2 list-disc space-y-1.5 pl-5">
        <li>
          <strong className="font-medium">New accounts</strong> (unpaired: two different groups): accounts that signed up in the {data.windowDays} days before
          the change against those that signed up in the {data.windowDays} days after, each scored on day {data.horizonDays} after its own signup, so both
          groups are equally new.
        </li>
        <li>
          <strong className="font-medium">Existing accounts</strong> (paired: the same accounts twice): every account scored throughout both periods is
          compared with itself — its mean daily score in the {data.windowDays} days after the change minus the {data.windowDays} days before. Accounts that
          joined in between are left out.
        </li>
        <li>
          <strong className="font-medium">Intervals:</strong> 95 % intervals from {formatCount(method.resamples)} bootstrap resamples of the accounts, with a
          fixed seed so the same data always gives the same interval. Differences in means use the BCa (bias-corrected and accelerated) bootstrap, medians the
          percentile bootstrap. Neither assumes bell-shaped scores, so a few accounts scoring in the hundreds do not fool them.
        </li>
        <li>
          <strong className="font-medium">Normal drift, measured on this data:</strong> the same comparison is run at placebo dates — earlier and later
          dates whose windows hold no change marker and no scoring-rule change — to see how much it moves when nothing changed. New accounts:{" "}
          {datesText(data.cohort?.placeboDates ?? { count: 0, runs: [] })}. Existing accounts: {datesText(data.existing.placeboDates)}.
        </li>
        <li>
          <strong className="font-medium">Normal range:</strong> around the middle of the placebo differences, the comparison&apos;s own chance variation (± 1.96
          standard errors) combined with how far the placebo dates drift beyond chance — that drift widened because placebo dates a day apart share most of
          their accounts, so only periods that share no day count as independent evidence. It is never narrower than the central 95 % of the placebo
          differences. Existing accounts drift steadily, so they need placebo dates on both sides of the change (at least {method.minPlaceboDatesEachSide}{" "}
          each); every comparison needs at least {method.minPlaceboDates}. With fewer, or with drift seen in a single period only, the page says the history is
          too short instead of guessing.
        </li>
        <li>
          <strong className="font-medium">Verdicts:</strong> a difference is called only when both groups have at least {method.minGroupSize} accounts and
          the whole 95 % interval lies beyond zero <em>and</em> beyond the normal range, on the same side. This is deliberately strict: it rarely calls an
          effect where there is none, at the price of missing small ones.
        </li>
        <li>
          <strong className="font-medium">Many segments at once:</strong> the segment rows are corrected together with Holm&apos;s method: the most
          convincing row must clear a 1 − 5 %/n interval, the next 1 − 5 %/(n − 1), and so on, and once one fails no later row is called. This keeps the
          chance of any false &ldquo;effect&rdquo; in the table at 5 %. &ldquo;All accounts&rdquo; and new accounts are single comparisons.
        </li>
        <li>
          <strong className="font-medium">Other changes:</strong> when another marker or a scoring-rule change falls inside the compared windows it is named,
          and no difference is credited to the chosen change alone. A difference in time is still not proof of cause: seasons, pricing or launches nobody
          marked move scores too.
        </li>
      </ul>
    </details>
  );
}
