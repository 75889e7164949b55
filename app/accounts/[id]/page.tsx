import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { AccountActions } from "@/components/accounts/account-actions";
import { AccountHeader } from "@/components/accounts/account-header";
import { AccountTasks } from "@/components/accounts/account-tasks";
import { ActivityPanel } from "@/components/accounts/activity-panel";
import { EventActivity } from "@/components/accounts/event-activity";
import { LatestEvents } from "@/components/accounts/latest-events";
import { WhyItMoved } from "@/components/accounts/why-it-moved";
import { WhyThisScore } from "@/components/accounts/why-this-score";
import { Card } from "@/components/card";
import { ScoreHistoryChart } from "@/components/charts/score-history-chart";
import { getDb } from "@/db";
import { accountTasks } from "@/lib/alerts/server/tasks";
import { accountTasksOptions } from "@/lib/alerts/query-options";
import { historySeries } from "@/lib/accounts/history-series";
import { isoDateFromDay, todayDay } from "@/lib/days";
import { formatDate } from "@/lib/format";
import { accountActivityOptions } from "@/lib/accounts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { getAccountDetail, getAccountName } from "@/lib/accounts/server/account-detail";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { parseAccountId } from "@/lib/http/server/request";
import { getAccountActivity } from "@/lib/accounts/server/worklist";

export async function generateMetadata(props: PageProps<"/accounts/[id]">): Promise<Metadata> {
  const { id } = await props.params;
  const accountId = parseAccountId(id);
  const name = accountId === null ? null : await getAccountName(await getDb(), { accountId });
  return { title: name ?? "Account not found" };
}

export default async function AccountPage(props: PageProps<"/accounts/[id]">) {
  await connection();
  const user = await requirePageUser("/accounts/*");
  const { id } = await props.params;
  const accountId = parseAccountId(id);
  const db = await getDb();
  const today = todayDay();
  const detail = accountId === null ? null : await getAccountDetail(db, { accountId });
  const activity = accountId === null ? null : await getAccountActivity(db, { accountId, today });
  if (!detail || !activity || accountId === null) notFound();

  const todayIso = isoDateFromDay(today);
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({ ...accountActivityOptions(accountId), queryFn: () => activity });
  await queryClient.prefetchQuery({ ...accountTasksOptions(accountId), queryFn: () => accountTasks(db, { accountId }) });

  const { account, score, explanation, history, settings } = detail;
  const canWork = userMay(user, "POST", "/api/accounts/*/notes");
  const points = history ? historySeries(history.startDate, history.values) : [];

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/accounts" className="inline-flex items-center gap-1 text-slate-500 hover:text-slate-900">
          <span aria-hidden="true">←</span> Call lists
        </Link>
      </nav>

      <AccountHeader
        account={account}
        score={score}
        windowDays={settings.windowDays}
        compareDays={settings.compareDays}
        today={todayIso}
        actions={<AccountActions account={{ id: account.id, name: account.name }} today={todayIso} canWork={canWork} />}
      />

      <Card
        title="Score history"
        description={
          <>
            Daily score over the last 12 months
            {history && score?.firstDate && history.startDate === score.firstDate ? `, since the account was first seen on ${formatDate(score.firstDate)}` : ""} (
            {settings.windowDays}-day window), against the band thresholds
            {detail.markers.length > 0 ? "; dashed purple lines mark changes" : ""}
            {detail.ruleChanges.length > 0 ? "; dotted grey lines mark new scoring rules (the history is recomputed with the rules in force)" : ""}
          </>
        }
        className="mt-4"
      >
        {points.length > 0 ? (
          <>
            <ScoreHistoryChart
              points={points}
              thresholds={settings.thresholds}
              markers={[
                ...detail.markers,
                ...detail.ruleChanges.map((r) => ({ id: `rules-${r.version}`, date: r.date, title: `Rules v${r.version}`, kind: "rules" as const })),
              ]}
            />
            {detail.markers.length > 0 ? (
              <ul className="mt-3 flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600" aria-label="Change markers">
                {detail.markers.map((m) => (
                  <li key={m.id} className="flex items-center gap-1.5" title={m.description}>
                    <span aria-hidden="true" className="inline-block h-3 w-0 border-l-2 border-dashed border-[var(--color-chart-marker)]" />
                    <span className="font-medium text-slate-800">{m.title}</span> · {formatDate(m.date)}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <p className="text-sm text-slate-500">No score history yet.</p>
        )}
      </Card>

      {explanation && score ? (
        <div className="mt-4 grid gap-4 lg:grid-cols-5">
          <Card
            title="Why this score"
            description={`Weight × count of each event type from ${formatDate(explanation.window.from)} to ${formatDate(explanation.window.to)}`}
            className="lg:col-span-3"
          >
            {!explanation.matchesStoredScore ? (
              <p role="note" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
                The weights changed since this score was computed; the stored score catches up at the next recompute.
              </p>
            ) : null}
            <WhyThisScore lines={explanation.contributions} totalHundredths={explanation.totalHundredths} window={explanation.window} />
          </Card>
          <Card title="Why it moved" description={`The change against ${settings.compareDays} days ago, by event type`} className="lg:col-span-2">
            {score.previousHundredths === null ? (
              <p className="text-sm text-slate-600" data-testid="movement-new">
                New account: it did not exist {settings.compareDays} days ago
                {score.firstDate ? ` (first seen ${formatDate(score.firstDate)})` : ""}, so there is no earlier score to compare with.
              </p>
            ) : (
              <WhyItMoved
                lines={explanation.movement}
                currentHundredths={explanation.totalHundredths}
                previousHundredths={explanation.previousTotalHundredths}
                previousWindow={explanation.previousWindow}
              />
            )}
          </Card>
        </div>
      ) : null}

      <Card title="Events over time" description="Events per type per month; darker means busier for that type, red marks risk signals" className="mt-4">
        <EventActivity columns={detail.eventMonths.columns} types={detail.eventMonths.types} />
      </Card>

      <Card title="Tasks" description="Calls to action from alert rules; completing one logs the contact" className="mt-4">
        <AccountTasks accountId={account.id} today={todayIso} canWork={canWork} />
      </Card>

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <Card title="Notes and contacts" description="What the team did with this account">
          <ActivityPanel accountId={account.id} today={todayIso} canWork={canWork} />
        </Card>
        <Card title="Latest events" description="The most recent events received, with their points at today's weights">
          <LatestEvents events={detail.latestEvents} />
        </Card>
      </div>
    </HydrationBoundary>
  );
}
