"use client";

import { EmptyState } from "@/components/card";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState title="Something went wrong">
      <p>This page could not be loaded{error.digest ? ` (reference ${error.digest})` : ""}. The error has been logged on the server.</p>
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-blue-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-700">
        Try again
      </button>
    </EmptyState>
  );
}
