import { z } from "zod";
import { dayFromIsoDate } from "../days";

/** How a task's due date reads: "Due today", "Overdue by 2 days", "Due in 3 days", "Due tomorrow". */
export function dueText(dueDate: string, today: number): { text: string; tone: "overdue" | "today" | "later" } {
  const diff = dayFromIsoDate(dueDate) - today;
  if (diff < 0) return { text: `Overdue by ${-diff === 1 ? "1 day" : `${-diff} days`}`, tone: "overdue" };
  if (diff === 0) return { text: "Due today", tone: "today" };
  if (diff === 1) return { text: "Due tomorrow", tone: "later" };
  return { text: `Due in ${diff} days`, tone: "later" };
}

/** My tasks' view state in the URL: whose tasks, open or closed, which page (defaults left out). */
export const tasksUrlSchema = z.object({
  scope: z.enum(["mine", "all"]).optional().catch(undefined),
  status: z.enum(["open", "closed"]).default("open").catch("open"),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type TasksUrlState = z.infer<typeof tasksUrlSchema>;

/** The canonical query string of a view state (the API and the page use the same). */
export function tasksSearch(state: TasksUrlState): string {
  const search = new URLSearchParams();
  if (state.scope) search.set("scope", state.scope);
  if (state.status !== "open") search.set("status", state.status);
  if (state.page !== 1) search.set("page", String(state.page));
  const text = search.toString();
  return text ? `?${text}` : "";
}
