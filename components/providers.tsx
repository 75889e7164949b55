"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { z } from "zod";
import { getQueryClient } from "@/lib/query-client";

// Zod probes `new Function` to speed up parsing; our Content-Security-Policy forbids eval, and
// the probe would log a CSP violation on every page that validates a form. In the browser,
// parse without it (the server keeps the faster path).
if (typeof window !== "undefined") z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
