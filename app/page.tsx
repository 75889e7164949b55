import Link from "next/link";
import { connection } from "next/server";
import { BandMixBar } from "@/components/band-mix-bar";
import { Card, PageHeader } from "@/components/card";
import { ScoreHistogram, type HistogramDatum } from "@/components/charts/score-histogram";
import { BandCards } from "@/components/overview/band-cards";
import { MoversTable } from "@/components/overview/movers-table";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { SetupBanner } from "@/components/setup/setup-banner";
import { SetupChecklist } from "@/components/setup/setup-checklist";
import { Stat } from "@/components/stat";
import { getDb } from "@/db";
import { formatAverage, formatCount, formatDate, formatPercent } from "@/lib/format";
import { everyoneListHref } from "@/lib/accounts/lists/query";
import { BAND_INFO, tierFor, type Band } from "@/lib/scoring/bands";
import { configVersionLabel } from "@/lib/scoring/config";
import { NOT_ACTIVE_YET_LABEL } from "@/lib/scoring/standing";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getOverview } from "@/lib/overview/server/overview";
import { getSetupChecklist } from "@/lib/setup/server/setup";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  await connection();
  const user = await requirePageUser("/");
  const isAdmin = userMay(user, "GET", "/admin");
  const db = await getDb();
  const overview = await getOverview(db);
  const { settings } = overview;
  const checklist = await getSetupChecklist(db);

  if (overview.totalAccounts === 0) {
    const demo = (
      <p className="mt-3 text-sm text-slate-500">
        To explore with demo data instead, run <code className="rounded bg-slate-100 px-1">npm run demo</code> on an empty database.
      </p>
    );
    return (
      <>
        <PageHeader title="Overview" subtitle="Engagement scores appear here once your accounts and their events are in." />
        {isAdmin ? (
          <>
            <SetupChecklist checklist={checklist} />
            {demo}
          </>
        ) : (
          <NoDataYet title="No accounts yet" isAdmin={false}>
            Engagement scores, bands and the accounts that moved most appear here once accounts and their product-usage events are in.
          </NoDataYet>
        )}
      </>
    );
  }

  const counts = Object.fromEntries(overview.bandCounts.map((b) => [b.band, b.count])) as Record<Band, number>;
  const histogram: HistogramDatum[] = [
    ...(overview.notActiveYet.count > 0 ? [{ label: "Not active", count: overview.notActiveYet.count, band: "not_active_yet" as const }] : []),
    ...overview.histogram.map(({ label, count, band }) => ({ label, count, band })),
  ];

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={
          <>
            Scores as of <span data-testid="as-of-date">{formatDate(overview.asOfDate)}</span> · {settings.windowDays}-day window ·
            change against {settings.compareDays} days ago ·{" "}
            {settings.configVersion === 0 ? "no weights saved yet" : `configuration ${configVersionLabel(settings.configVersion)}`}
          </>
        }
      />

      <SetupBanner checklist={checklist} isAdmin={isAdmin} />
      <BandCards
        bandCounts={overview.bandCounts}
        notActiveYet={overview.notActiveYet}
        churnRiskSilent={overview.churnRiskSilent}
        thresholds={settings.thresholds}
        windowDays={settings.windowDays}
      />

      <dl className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat
          label="Trials and customers"
          value={formatCount(overview.countedAccounts)}
          hint={
            overview.churnedAccounts > 0
              ? `${formatCount(overview.churnedAccounts)} churned ${overview.churnedAccounts === 1 ? "account is" : "accounts are"} not counted`
              : "every scored account"
          }
          testId="stat-total"
        />
        <Stat
          label="Average score"
          value={overview.averageHundredths === null ? "—" : formatAverage(overview.averageHundredths)}
          testId="stat-average"
        />
        <Stat label="Median score" value={overview.medianHundredths === null ? "—" : formatAverage(overview.medianHundredths)} />
        <Stat
          label="Declining"
          value={
            <Link href={everyoneListHref("drops")} className="hover:text-blue-700 hover:underline">
              {formatCount(overview.decliningCount)}
            </Link>
          }
          hint={`fell ≥ ${settings.decline.declinePercent} % and ≥ ${settings.decline.declinePoints} points · ${formatPercent(
            overview.countedAccounts === 0 ? 0 : overview.decliningCount / overview.countedAccounts,
          )}`}
          testId="stat-declining"
        />
      </dl>

      <div className="mt-4 grid gap-4 lg:grid-cols-5">
        <Card
          title="Score distribution"
          description={`Trials and customers by current score, coloured by band${overview.notActiveYet.count > 0 ? "; accounts not active yet (grey) have no score to place" : ""}`}
          className="lg:col-span-3"
        >
          <ScoreHistogram data={histogram} />
        </Card>
        <Card title="Band mix" description="Share of trials and customers in each band" className="lg:col-span-2">
          <BandMixBar counts={counts} notActiveYet={overview.notActiveYet.count} label="Accounts per band" />
          <ul className="mt-4 space-y-2 text-sm">
            {overview.bandCounts.map(({ band, count, share }) => (
              <li key={band} className="flex items-center justify-between gap-2">
                <Link href={everyoneListHref(tierFor(band), band)} className="text-slate-700 hover:text-blue-700 hover:underline">
                  {BAND_INFO[band].label}
                </Link>
                <span className="tabular-nums text-slate-500">
                  {formatCount(count)} · {formatPercent(share)}
                </span>
              </li>
            ))}
            <li className="flex items-center justify-between gap-2">
              <Link href={everyoneListHref("onboarding")} className="text-slate-700 hover:text-blue-700 hover:underline">
                {NOT_ACTIVE_YET_LABEL}
              </Link>
              <span className="tabular-nums text-slate-500">
                {formatCount(overview.notActiveYet.count)} · {formatPercent(overview.notActiveYet.share)}
              </span>
            </li>
          </ul>
        </Card>
      </div>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Biggest risers" description={`Score change against ${settings.compareDays} days ago; new accounts have no earlier score and are not ranked`}>
          <MoversTable movers={overview.risers} direction="up" emptyText="No account's score rose." />
        </Card>
        <Card title="Biggest drops" description="The moment a score declines is the moment to reach out">
          <MoversTable movers={overview.fallers} direction="down" emptyText="No account's score fell." />
        </Card>
      </div>
    </>
  );
}
