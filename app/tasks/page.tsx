import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { connection } from "next/server";
import { PageHeader } from "@/components/card";
import { MyTasks } from "@/components/tasks/my-tasks";
import { getDb } from "@/db";
import { countTasks, listTasks } from "@/lib/alerts/server/tasks";
import { tasksSearch, tasksUrlSchema } from "@/lib/alerts/tasks";
import { todayDay } from "@/lib/days";
import { tasksOptions } from "@/lib/alerts/query-options";
import { getQueryClient } from "@/lib/query-client";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "My tasks" };

const PAGE_SIZE = 25;

/** "My tasks" beside the call lists: the calls to action alerts created for the user's book. */
export default async function TasksPage(props: PageProps<"/tasks">) {
  await connection();
  const user = await requirePageUser("/tasks");
  const raw = await props.searchParams;
  const state = tasksUrlSchema.parse(Object.fromEntries(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : []))));
  const scope = state.scope ?? (user.accountManagerName ? "mine" : "all");
  const assignee = scope === "mine" ? (user.accountManagerName ?? "") : null;
  const db = await getDb();
  const today = todayDay();
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery({
    ...tasksOptions(tasksSearch(state)),
    queryFn: async () => ({
      ...(await listTasks(db, { assignee, status: state.status, limit: PAGE_SIZE, offset: (state.page - 1) * PAGE_SIZE })),
      counts: await countTasks(db, { assignee, today }),
      scope,
      page: state.page,
      pageSize: PAGE_SIZE,
      book: user.accountManagerName,
    }),
  });
  return (
    <>
      <PageHeader
        title="My tasks"
        subtitle={user.accountManagerName ? `Calls to action from alerts on ${user.accountManagerName}'s book, soonest due first.` : "Calls to action from alerts, soonest due first."}
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <MyTasks today={today} hasBook={user.accountManagerName !== null} />
      </HydrationBoundary>
    </>
  );
}
