"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { callListSearch, readCallListQuery, type CallListQuery } from "@/lib/accounts/lists/query";

/**
 * The list state lives in the URL. Changes go through the History API, which Next's router
 * picks up (useSearchParams updates) without asking the server for the page again; React
 * Query then fetches just the data. Back and forward walk through the states.
 */
export function useCallListUrl() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const query = useMemo(() => readCallListQuery(new URLSearchParams(searchParams.toString())), [searchParams]);

  const go = useCallback(
    (next: CallListQuery, history: "push" | "replace" = "push") => {
      const url = `${pathname}${callListSearch(next)}`;
      if (history === "replace") window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [pathname],
  );

  /** Applies a change; anything but paging goes back to page 1. */
  const update = useCallback(
    (patch: Partial<CallListQuery>, history: "push" | "replace" = "push") => {
      go({ ...query, page: 1, ...patch }, history);
    },
    [go, query],
  );

  return { query, go, update };
}
