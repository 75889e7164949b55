"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiRequestError } from "@/lib/http/api-client";
import { configVersionsQuery, restoreVersion, scoringKeys } from "@/lib/scoring/query-options";
import type { ConfigVersionView } from "@/lib/scoring/server/scoring-config";
import { describeChange } from "@/lib/scoring/describe-change";
import { Dialog } from "../ui/dialog";
import { BUTTON } from "../ui/button";

const STATUS: Record<ConfigVersionView["status"], { label: string; className: string }> = {
  in_force: { label: "In force", className: "bg-emerald-100 text-emerald-800" },
  pending: { label: "Being applied", className: "bg-blue-100 text-blue-800" },
  superseded: { label: "Superseded", className: "bg-slate-100 text-slate-600" },
};

function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}

/** Every configuration version with what it changed; any can be restored as a new version. */
export function VersionHistory({ labels }: { labels: Record<string, string> }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: versions, isLoading, error } = useQuery(configVersionsQuery());
  // The version the admin asked to restore, waiting for their confirmation in the dialog.
  const [confirming, setConfirming] = useState<number | null>(null);
  const restore = useMutation({
    mutationFn: restoreVersion,
    onSuccess: async () => {
      setConfirming(null);
      await queryClient.invalidateQueries({ queryKey: scoringKeys.all });
      router.push("/admin/weights");
    },
  });

  if (isLoading) return <p role="status" className="text-sm text-slate-500">Loading versions…</p>;
  if (error) return <p role="alert" className="text-sm text-red-700">Could not load the versions: {error.message}</p>;
  if (!versions || versions.length === 0) return <p className="text-sm text-slate-500">No configuration has been saved yet.</p>;

  return (
    <>
      {restore.error instanceof ApiRequestError ? (
        <p role="alert" className="mb-3 rounded-lg bg-red-50 p-3 text-sm text-red-800">
          {restore.error.message}
        </p>
      ) : null}
      <ol className="space-y-3" aria-label="Configuration versions">
        {versions.map((v) => (
          <li key={v.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={`version-${v.id}`}>
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <h2 className="font-semibold text-slate-900">
                  Version {v.id}{" "}
                  <span className={`ml-1 rounded-full px-2 py-0.5 text-xs font-medium ${STATUS[v.status].className}`}>{STATUS[v.status].label}</span>
                </h2>
                <p className="text-xs text-slate-500">
                  {formatWhen(v.createdAt)} · by {v.createdBy}
                </p>
                {v.reason ? <p className="mt-1 text-sm text-slate-700">“{v.reason}”</p> : null}
              </div>
              {v.status === "superseded" ? (
                <button
                  type="button"
                  disabled={restore.isPending}
                  onClick={() => {
                    restore.reset();
                    setConfirming(v.id);
                  }}
                  className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
                >
                  Restore
                </button>
              ) : null}
            </div>
            {v.changes.length > 0 ? (
              <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-slate-600">
                {v.changes.map((c) => (
                  <li key={JSON.stringify(c)}>{describeChange(c, labels)}</li>
                ))}
              </ul>
            ) : (
              <p className="mt-2 text-sm text-slate-500">{v === versions[versions.length - 1] ? "The first configuration." : "No changes."}</p>
            )}
          </li>
        ))}
      </ol>
      <Dialog open={confirming !== null} onClose={() => setConfirming(null)} title={`Restore version ${confirming ?? ""}?`}>
        <p className="text-sm text-slate-600">
          Its weights and settings are saved as a new version, and every account&apos;s scores and history are recomputed with them. Nothing
          is lost: the version in force stays in the history and can be restored in turn.
        </p>
        {restore.error ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {restore.error.message}
          </p>
        ) : null}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" className={BUTTON.secondary} onClick={() => setConfirming(null)}>
            Cancel
          </button>
          <button
            type="button"
            className={BUTTON.primary}
            disabled={restore.isPending || confirming === null}
            onClick={() => {
              if (confirming !== null) restore.mutate(confirming);
            }}
          >
            {restore.isPending ? "Restoring…" : `Restore version ${confirming ?? ""}`}
          </button>
        </div>
      </Dialog>
    </>
  );
}
