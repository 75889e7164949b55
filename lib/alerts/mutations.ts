"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { apiFetchData, sendJson } from "../http/api-client";
import type { AnyRule } from "./rules";
import type { completeTaskSchema, createDestinationSchema, emailSettingsSchema, updateDestinationSchema } from "./schemas";
import type { PublicEmailSettings } from "./server/email-settings";
import type { RulePreviewResult } from "./server/preview";
import type { StoredRule } from "./server/rules";
import type { TaskRow } from "./server/tasks";
import type { ApiTokenSummary } from "../read-api/server/tokens";
import { accountKeys } from "../accounts/query-options";
import { alertKeys } from "./query-options";

/** The alert features' changes from the browser; each refreshes the queries it affects (lib/alerts/query-options.ts). */
async function data<T>(url: string, method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): Promise<T> {
  const answer = await sendJson<{ data: T }>(url, method, body);
  if (!answer) throw new Error("The server's answer had no data.");
  return answer.data;
}

/** Completing or dismissing a task refreshes My tasks, the account's tasks, its activity log and the lists' last contact. */
export function useCloseTask() {
  const queryClient = useQueryClient();
  const refresh = (accountId: number) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: alertKeys.allTasks() }),
      queryClient.invalidateQueries({ queryKey: alertKeys.accountTasks(accountId) }),
      queryClient.invalidateQueries({ queryKey: accountKeys.activity(accountId) }),
      queryClient.invalidateQueries({ queryKey: accountKeys.lists() }),
    ]);
  const complete = useMutation({
    mutationFn: ({ id, accountId: _accountId, ...input }: { id: number; accountId: number } & z.input<typeof completeTaskSchema>) =>
      data<TaskRow>(`/api/tasks/${id}/complete`, "POST", input),
    onSuccess: (_task, variables) => refresh(variables.accountId),
  });
  const dismiss = useMutation({
    mutationFn: ({ id }: { id: number; accountId: number }) => data<TaskRow>(`/api/tasks/${id}/dismiss`, "POST"),
    onSuccess: (_task, variables) => refresh(variables.accountId),
  });
  return { complete, dismiss };
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: number[] | "all") => data<{ marked: number }>("/api/notifications/read", "POST", { ids }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.notifications() }),
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { digest: boolean; immediate: boolean }) => data<{ digest: boolean; immediate: boolean }>("/api/notifications/preferences", "PUT", input),
    onSuccess: (saved) => queryClient.setQueryData(alertKeys.preferences(), saved),
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...rule }: AnyRule) => data<StoredRule>(`/api/admin/alerts/rules/${kind}`, "PUT", rule),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.rules() }),
  });
}

export function usePreviewRule() {
  return useMutation({ mutationFn: ({ kind, ...rule }: AnyRule) => data<RulePreviewResult>(`/api/admin/alerts/rules/${kind}/preview`, "POST", rule) });
}

function useRefreshDestinations() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: alertKeys.destinations() }), queryClient.invalidateQueries({ queryKey: alertKeys.rules() })]);
}

export function useCreateDestination() {
  const refresh = useRefreshDestinations();
  return useMutation({
    mutationFn: (input: z.input<typeof createDestinationSchema>) => data<{ id: number; secret: string | null }>("/api/admin/alerts/destinations", "POST", input),
    onSuccess: refresh,
  });
}

export function useUpdateDestination() {
  const refresh = useRefreshDestinations();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: number } & z.input<typeof updateDestinationSchema>) => data<{ id: number }>(`/api/admin/alerts/destinations/${id}`, "PATCH", input),
    onSuccess: refresh,
  });
}

export function useDeleteDestination() {
  const refresh = useRefreshDestinations();
  return useMutation({ mutationFn: (id: number) => sendJson<null>(`/api/admin/alerts/destinations/${id}`, "DELETE"), onSuccess: refresh });
}

export function useTestDestination() {
  const refresh = useRefreshDestinations();
  return useMutation({ mutationFn: (id: number) => data<{ messageId: string }>(`/api/admin/alerts/destinations/${id}/test`, "POST"), onSuccess: refresh });
}

export function useRevealSecret() {
  return useMutation({ mutationFn: (id: number) => apiFetchData<{ secret: string }>(`/api/admin/alerts/destinations/${id}/secret`) });
}

export function useRotateSecret() {
  return useMutation({ mutationFn: (id: number) => data<{ secret: string }>(`/api/admin/alerts/destinations/${id}/secret`, "POST") });
}

export function useRedeliver(destinationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: number) => data<{ id: number }>(`/api/admin/alerts/destinations/${destinationId}/deliveries/${deliveryId}/redeliver`, "POST"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.allDeliveries(destinationId) }),
  });
}

export function useResumeDestination(destinationId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => data<{ id: number }>(`/api/admin/alerts/destinations/${destinationId}/resume`, "POST"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.allDeliveries(destinationId) }),
  });
}

export function useSaveEmailSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof emailSettingsSchema>) => data<PublicEmailSettings>("/api/admin/alerts/email", "PUT", input),
    onSuccess: (saved) => queryClient.setQueryData(alertKeys.email(), saved),
  });
}

export function useTestEmail() {
  return useMutation({ mutationFn: (to: string) => data<{ sent: boolean; response: string | null }>("/api/admin/alerts/email/test", "POST", { to }) });
}

export function useSendDigests() {
  return useMutation({ mutationFn: () => data<{ recipients: number; queued: number }>("/api/admin/alerts/digests", "POST") });
}

export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { label: string; scopes: "scores:read"[] }) => data<{ token: string; summary: ApiTokenSummary }>("/api/admin/api-tokens", "POST", input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.apiTokens() }),
  });
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => data<ApiTokenSummary>(`/api/admin/api-tokens/${id}/revoke`, "POST"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alertKeys.apiTokens() }),
  });
}
