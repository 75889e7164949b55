"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { sendJson } from "../http/api-client";
import type { ContactEntry, NoteEntry, SnoozeEntry } from "./server/worklist";
import type { contactInputSchema, noteInputSchema, snoozeInputSchema } from "./worklist-schemas";
import { accountKeys } from "./query-options";

/**
 * Working the lists from the browser. Each change refreshes what it affects: the list pages
 * (last contact, snoozed accounts), the list counts (snoozes) and the account's activity log.
 */
function useRefresh(accountId: number, options: { counts: boolean }) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: accountKeys.lists() }),
      queryClient.invalidateQueries({ queryKey: accountKeys.activity(accountId) }),
      options.counts ? queryClient.invalidateQueries({ queryKey: accountKeys.allCounts() }) : null,
    ]);
}

export function useLogContact(accountId: number) {
  const refresh = useRefresh(accountId, { counts: false });
  return useMutation({
    mutationFn: (input: z.input<typeof contactInputSchema>) => sendJson<ContactEntry>(`/api/accounts/${accountId}/contacts`, "POST", input),
    onSuccess: refresh,
  });
}

export function useAddNote(accountId: number) {
  const refresh = useRefresh(accountId, { counts: false });
  return useMutation({
    mutationFn: (input: z.input<typeof noteInputSchema>) => sendJson<NoteEntry>(`/api/accounts/${accountId}/notes`, "POST", input),
    onSuccess: refresh,
  });
}

export function useSnooze(accountId: number) {
  const refresh = useRefresh(accountId, { counts: true });
  return useMutation({
    mutationFn: (input: z.input<typeof snoozeInputSchema>) => sendJson<SnoozeEntry>(`/api/accounts/${accountId}/snooze`, "PUT", input),
    onSuccess: refresh,
  });
}

export function useUnsnooze(accountId: number) {
  const refresh = useRefresh(accountId, { counts: true });
  return useMutation({
    mutationFn: () => sendJson<null>(`/api/accounts/${accountId}/snooze`, "DELETE"),
    onSuccess: refresh,
  });
}
