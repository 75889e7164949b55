import { queryOptions } from "@tanstack/react-query";
import { apiFetchData } from "../http/api-client";
import type { DestinationSummary } from "./server/destinations";
import type { PublicEmailSettings } from "./server/email-settings";
import type { RuleFacets } from "./server/facets";
import type { NotificationList } from "./server/notifications";
import type { AttemptLogEntry, DeliveryLogPage, EndpointCircuit } from "./server/outbox";
import type { StoredRule } from "./server/rules";
import type { TaskCounts, TaskPage, TaskRow } from "./server/tasks";
import type { ApiTokenSummary } from "../read-api/server/tokens";
import { accountKeys } from "../accounts/query-options";

/**
 * The alert features' resources, one queryOptions each, with structured keys:
 *   ["tasks", search]                         My tasks (a page with counts)
 *   ["accounts", id, "tasks"]                  an account's tasks
 *   ["notifications"]                          the menu (items and unread count)
 *   ["notifications", "preferences"]          the person's email choices
 *   ["admin", "alerts", "rules"]               rules, destinations, filter values
 *   ["admin", "alerts", "destinations"]
 *   ["admin", "alerts", "deliveries", id, search]
 *   ["admin", "alerts", "email"]
 *   ["admin", "api-tokens"]
 */
export const alertKeys = {
  tasks: (search: string) => ["tasks", search] as const,
  allTasks: () => ["tasks"] as const,
  accountTasks: (accountId: number) => [...accountKeys.all, accountId, "tasks"] as const,
  notifications: () => ["notifications"] as const,
  preferences: () => ["notifications", "preferences"] as const,
  rules: () => ["admin", "alerts", "rules"] as const,
  destinations: () => ["admin", "alerts", "destinations"] as const,
  deliveries: (id: number, search: string) => ["admin", "alerts", "deliveries", id, search] as const,
  allDeliveries: (id: number) => ["admin", "alerts", "deliveries", id] as const,
  email: () => ["admin", "alerts", "email"] as const,
  apiTokens: () => ["admin", "api-tokens"] as const,
};

export interface TasksData extends TaskPage {
  counts: TaskCounts;
  scope: "mine" | "all";
  page: number;
  pageSize: number;
  book: string | null;
}

export function tasksOptions(search: string) {
  return queryOptions({
    queryKey: alertKeys.tasks(search),
    queryFn: ({ signal }) => apiFetchData<TasksData>(`/api/tasks${search}`, { signal }),
  });
}

export function accountTasksOptions(accountId: number) {
  return queryOptions({
    queryKey: alertKeys.accountTasks(accountId),
    queryFn: ({ signal }) => apiFetchData<TaskRow[]>(`/api/accounts/${accountId}/tasks`, { signal }),
  });
}

export const NOTIFICATIONS_REFRESH_MS = 30_000;

export function notificationsOptions() {
  return queryOptions({
    queryKey: alertKeys.notifications(),
    queryFn: ({ signal }) => apiFetchData<NotificationList>("/api/notifications", { signal }),
    refetchInterval: NOTIFICATIONS_REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}

export function preferencesOptions() {
  return queryOptions({
    queryKey: alertKeys.preferences(),
    queryFn: ({ signal }) => apiFetchData<{ digest: boolean; immediate: boolean }>("/api/notifications/preferences", { signal }),
  });
}

export interface RulesData {
  rules: StoredRule[];
  destinations: DestinationSummary[];
  facets: RuleFacets;
}

export function rulesOptions() {
  return queryOptions({ queryKey: alertKeys.rules(), queryFn: ({ signal }) => apiFetchData<RulesData>("/api/admin/alerts/rules", { signal }) });
}

export function destinationsOptions() {
  return queryOptions({
    queryKey: alertKeys.destinations(),
    queryFn: ({ signal }) => apiFetchData<DestinationSummary[]>("/api/admin/alerts/destinations", { signal }),
    refetchInterval: 15_000,
  });
}

export interface DeliveriesData extends DeliveryLogPage {
  page: number;
  pageSize: number;
  /** The endpoint's run of failures and pause; null when its last delivery succeeded. */
  circuit: EndpointCircuit | null;
}

export function deliveriesOptions(id: number, search: string) {
  return queryOptions({
    queryKey: alertKeys.deliveries(id, search),
    queryFn: ({ signal }) => apiFetchData<DeliveriesData>(`/api/admin/alerts/destinations/${id}/deliveries${search}`, { signal }),
    refetchInterval: 10_000,
  });
}

export function attemptsOptions(destinationId: number, deliveryId: number) {
  return queryOptions({
    queryKey: [...alertKeys.allDeliveries(destinationId), "attempts", deliveryId] as const,
    queryFn: ({ signal }) => apiFetchData<{ attempts: AttemptLogEntry[] }>(`/api/admin/alerts/destinations/${destinationId}/deliveries/${deliveryId}`, { signal }),
  });
}

export function emailSettingsOptions() {
  return queryOptions({ queryKey: alertKeys.email(), queryFn: ({ signal }) => apiFetchData<PublicEmailSettings>("/api/admin/alerts/email", { signal }) });
}

export function apiTokensOptions() {
  return queryOptions({ queryKey: alertKeys.apiTokens(), queryFn: ({ signal }) => apiFetchData<ApiTokenSummary[]>("/api/admin/api-tokens", { signal }) });
}

