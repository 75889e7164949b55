"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { z } from "zod";
import { parsePageParams, toQueryString, viewDefaults } from "./teams/params";

type UrlValue = string | number | readonly string[] | undefined;

/**
 * A view's choices, read from and written to the URL (so every view can be bookmarked and
 * shared). Writes go through history.pushState, which Next's router follows: the page is
 * not re-rendered on the server, React Query fetches what the new choice needs. Values equal
 * to the schema's defaults are left out of the URL.
 */
export function useUrlParams<T extends Record<string, unknown>>(schema: z.ZodType<T>) {
  const searchParams = useSearchParams();
  const defaults = useMemo(() => viewDefaults(schema), [schema]);
  const pathname = usePathname();
  const params = useMemo(() => parsePageParams(schema, new URLSearchParams(searchParams.toString())), [schema, searchParams]);

  const setParams = useCallback(
    (patch: Partial<Record<keyof T, UrlValue>>, options: { replace?: boolean } = {}) => {
      const next: Record<string, UrlValue> = {};
      for (const [k, v] of Object.entries(params)) next[k] = v as UrlValue;
      for (const [k, v] of Object.entries(patch)) next[k] = v as UrlValue;
      const url = `${pathname}${toQueryString(next, defaults)}`;
      if (options.replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    },
    [params, pathname, defaults],
  );

  return [params, setParams] as const;
}
