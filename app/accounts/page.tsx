import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import Link from "next/link";
import { connection } from "next/server";
import { buttonClass } from "@/components/button-styles";
import { PageHeader } from "@/components/card";
import { CallListWorkspace } from "@/components/accounts/lists/workspace";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { getDb } from "@/db";
import { countTasks } from "@/lib/alerts/server/tasks";
import { filterQuery, readCallListQuery } from "@/lib/accounts/lists/query";
import { todayDay } from "@/lib/days";
import { formatDate } from "@/lib/format";
import { callListCountsOptions, callListFacetsOptions, callListPageOptions } from "@/lib/accounts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { userMay } from "@/lib/auth/access";
import { requirePageUser } from "@/lib/auth/server/authz";
import { getCallListCounts, getCallListFacets, getCallListPageData, getScoresAsOf } from "@/lib/accounts/server/lists";
import { loadScoringSettings } from "@/lib/scoring/server/settings";

export const metadata = { title: "Accounts" };

export default async function AccountsPage(props: PageProps<"/accounts">) {
  await connection();
  const user = await requirePageUser("/accounts");
  const query = readCallListQuery(await props.searchParams);
  const db = await getDb();
  const today = todayDay();
  const [settings, asOf] = await Promise.all([loadScoringSettings(db), getScoresAsOf(db)]);

  if (asOf === null) {
    return (
      <>
        <PageHeader title="Accounts" />
        <NoDataYet title="No scored accounts yet" isAdmin={userMay(user, "GET", "/admin")}>
          The call lists fill once accounts have engagement scores; scores are computed as events arrive.
        </NoDataYet>
      </>
    );
  }

  // The first screen is rendered on the server with its data; the browser takes over from there.
  const queryClient = getQueryClient();
  const userBook = user.accountManagerName;
  await Promise.all([
    queryClient.prefetchQuery({ ...callListPageOptions(query), queryFn: () => getCallListPageData(db, { query, userBook, today }) }),
    queryClient.prefetchQuery({
      ...callListCountsOptions(query),
      queryFn: () => getCallListCounts(db, { query: filterQuery(query), userBook, today }),
    }),
    queryClient.prefetchQuery({ ...callListFacetsOptions(), queryFn: () => getCallListFacets(db) }),
  ]);

  // "My tasks" beside the call lists: the calls to action alerts created for the user's book.
  const tasks = userMay(user, "GET", "/tasks") ? await countTasks(db, { assignee: userBook, today }) : null;

  return (
    <>
      <PageHeader
        title="Accounts"
        subtitle={
          <>
            Whom to call today · scores as of {formatDate(asOf)}, change against {settings.compareDays} days ago
          </>
        }
        actions={
          tasks ? (
            <Link href="/tasks" className={buttonClass("secondary")} data-testid="my-tasks-link">
              My tasks
              <span className={`rounded-full px-1.5 py-0.5 text-xs tabular-nums ${tasks.overdue > 0 ? "bg-red-100 text-red-700" : "bg-slate-100 text-slate-700"}`}>{tasks.open}</span>
            </Link>
          ) : null
        }
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <CallListWorkspace
          thresholds={settings.thresholds}
          windowDays={settings.windowDays}
          compareDays={settings.compareDays}
          userBook={userBook}
          canWork={userMay(user, "POST", "/api/accounts/*/notes")}
        />
      </HydrationBoundary>
    </>
  );
}
