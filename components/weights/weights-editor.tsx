"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { decodeSuggestedWeights, SUGGESTED_PARAM } from "@/lib/insights/suggestion-link";
import { formatDate } from "@/lib/format";
import { ApiRequestError } from "@/lib/http/api-client";
import { previewScoring, recomputeJobQuery, saveScoring, scoringKeys, scoringViewQuery } from "@/lib/scoring/query-options";
import { configVersionLabel, sameScoring, type SettingField } from "@/lib/scoring/config";
import { configFromDraft, draftFromConfig, type ScoringDraft } from "@/lib/scoring/draft";
import { Card, PageHeader } from "../card";
import { SetupStepLinks } from "../setup/no-data-yet";
import { AddEventType } from "./add-event-type";
import { EventWeightsTable } from "./event-weights-table";
import { EventNameRule, HeldEventTypes } from "./held-event-types";
import { PreviewPanel } from "./preview-panel";
import { RecomputeBanner } from "./recompute-banner";
import { SettingsForm } from "./settings-form";

interface Edits {
  weights: Record<string, string>;
  active: Record<string, boolean>;
  settings: Partial<Record<SettingField, string>>;
}

const NO_EDITS: Edits = { weights: {}, active: {}, settings: {} };

/** Before any event type exists: what an event type is, where types come from, and what to do next. */
function NoEventTypes() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-4 py-8 text-center" data-testid="no-event-types">
      <h3 className="font-semibold text-slate-900">No event types yet</h3>
      <div className="mx-auto mt-2 max-w-prose space-y-2 text-sm text-slate-600">
        <p>
          An event type is something your customers do in your product: a session started, a report created, a colleague invited, an app uninstalled. The score adds
          up each type&apos;s weight × how often it happened in the window.
        </p>
        <p>
          Event types arrive with your data: every new event name is registered here with weight 0. <SetupStepLinks step="data" />, or add a type by hand with{" "}
          <strong>Add event type</strong> above.
        </p>
        <p>Then give each type a weight (positive for value, negative for risk signals), preview the impact and save.</p>
      </div>
    </div>
  );
}

/** The weights editor: edit, preview the impact on every account, then save a new version. */
export function WeightsEditor() {
  const queryClient = useQueryClient();
  const { data: view } = useQuery(scoringViewQuery());
  const { data: job } = useQuery(recomputeJobQuery());
  // Weights suggested on the validation page (/insights) arrive in the URL and start as
  // unsaved edits: they go through the same preview and save as any other change.
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const [suggested] = useState(() => decodeSuggestedWeights(searchParams.get(SUGGESTED_PARAM)));
  const [edits, setEdits] = useState<Edits>(() => ({ ...NO_EDITS, weights: suggested }));
  const [showSuggestion, setShowSuggestion] = useState(() => Object.keys(suggested).length > 0);
  useEffect(() => {
    // The edits are in the form now; a reload after discarding them should not bring them back.
    if (searchParams.has(SUGGESTED_PARAM)) window.history.replaceState(null, "", pathname);
  }, [searchParams, pathname]);
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const previewRef = useRef<HTMLDivElement>(null);

  // The form shows the configuration in force with the admin's edits laid over it.
  const draft: ScoringDraft | null = useMemo(() => {
    if (!view) return null;
    const base = draftFromConfig(view.config);
    // Only edits of known event types (a suggestion may name a type that no longer exists).
    const weightEdits = Object.fromEntries(Object.entries(edits.weights).filter(([key]) => key in base.weights));
    return {
      weights: { ...base.weights, ...weightEdits },
      active: { ...base.active, ...edits.active },
      settings: { ...base.settings, ...edits.settings },
    };
  }, [view, edits]);
  const { config, errors } = useMemo(() => (draft ? configFromDraft(draft) : { config: null, errors: {} }), [draft]);
  const dirty = Boolean(view && (config === null || !sameScoring(config, view.config)));
  const configKey = config ? JSON.stringify(config) : null;

  const preview = useMutation({ mutationFn: previewScoring });
  const previewIsCurrent = preview.data !== undefined && preview.variables !== undefined && JSON.stringify(preview.variables) === configKey;

  const save = useMutation({
    mutationFn: (args: { reason: string }) => {
      if (!config) throw new Error("Fix the highlighted fields first.");
      return saveScoring(config, args.reason);
    },
    onSuccess: async (result) => {
      setEdits(NO_EDITS);
      setShowSuggestion(false);
      setReason("");
      preview.reset();
      setNotice(`Saved as configuration v${result.versionId}. Scores are being recomputed.`);
      queryClient.setQueryData(scoringKeys.job(), result.job);
      await queryClient.invalidateQueries({ queryKey: scoringKeys.all });
    },
  });

  // When a recompute finishes, the configuration in force has changed: reload it.
  const lastStatus = useRef(job?.status);
  useEffect(() => {
    if (lastStatus.current === "running" && job?.status === "done") {
      void queryClient.invalidateQueries({ queryKey: scoringKeys.view() });
      void queryClient.invalidateQueries({ queryKey: scoringKeys.versions() });
    }
    lastStatus.current = job?.status;
  }, [job?.status, queryClient]);

  useEffect(() => {
    if (previewIsCurrent) previewRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [previewIsCurrent]);

  if (!view || !draft) return null;
  const labels = Object.fromEntries(view.types.map((t) => [t.key, t.label]));
  const running = job?.status === "running";
  const saveError = save.error instanceof ApiRequestError || save.error instanceof Error ? save.error.message : null;
  const previewError = preview.error instanceof Error ? preview.error.message : null;

  return (
    <div className="pb-28">
      <PageHeader
        title="Weights & scoring"
        subtitle={
          <>
            {view.version === 0 ? (
              <>
                <span data-testid="config-version">Built-in defaults</span> in force (no version saved yet)
              </>
            ) : (
              <>
                Configuration <span data-testid="config-version">{configVersionLabel(view.version)}</span> in force
              </>
            )}{" "}
            · scores as of {formatDate(view.asOfDate)}
          </>
        }
        actions={
          <Link href="/admin/weights/history" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Version history
          </Link>
        }
      />
      {job ? <RecomputeBanner job={job} /> : null}
      {notice && !running ? (
        <div role="status" className="mb-4 rounded-xl border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          {job?.status === "done" ? `Configuration v${job.versionId} is in force; all scores and their history are recomputed.` : notice}
        </div>
      ) : null}

      {showSuggestion && dirty ? (
        <div role="status" className="mb-4 rounded-xl border border-blue-200 bg-blue-50 p-3 text-sm text-blue-900" data-testid="suggestion-loaded">
          <p className="font-medium">Suggested weights from Insights are loaded as unsaved changes.</p>
          <p className="mt-0.5">
            Nothing has changed yet: preview their impact on every account, then save them as a new version, or discard them.{" "}
            <Link href="/insights" className="font-medium underline">
              Back to Insights
            </Link>
          </p>
        </div>
      ) : null}

      <HeldEventTypes types={view.types} suggestions={view.suggestions} windowDays={view.config.settings.windowDays} disabled={running} />

      <Card
        title="Event weights"
        description="Points per event. Negative weights mark risk signals; inactive events count for nothing."
        actions={<AddEventType onAdded={() => void queryClient.invalidateQueries({ queryKey: scoringKeys.view() })} />}
      >
        {view.types.length === 0 ? (
          <NoEventTypes />
        ) : (
          <EventWeightsTable
            types={view.types.filter((t) => !t.held)}
            draft={draft}
            errors={errors}
            windowDays={view.config.settings.windowDays}
            onWeight={(key, value) => setEdits((e) => ({ ...e, weights: { ...e.weights, [key]: value } }))}
            onActive={(key, value) => setEdits((e) => ({ ...e, active: { ...e.active, [key]: value } }))}
          />
        )}
      </Card>

      <div className="mt-4">
        <SettingsForm values={draft.settings} errors={errors} onChange={(field, value) => setEdits((e) => ({ ...e, settings: { ...e.settings, [field]: value } }))} />
      </div>

      <EventNameRule />

      {previewIsCurrent && preview.data ? (
        <div ref={previewRef} className="mt-4 scroll-mt-4 space-y-4">
          <PreviewPanel preview={preview.data} labels={labels} />
          <Card title="Save as a new version" description="Everyone keeps the current scores until the new ones are complete.">
            <form
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate({ reason });
              }}
              className="space-y-3"
            >
              <label className="block text-sm font-medium text-slate-700">
                Reason (optional, shown in the history)
                <textarea
                  value={reason}
                  onChange={(e) => setReason(e.target.value)}
                  maxLength={500}
                  rows={2}
                  className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-blue-300"
                />
              </label>
              {saveError ? (
                <p role="alert" className="text-sm text-red-700">
                  {saveError}
                </p>
              ) : null}
              <button type="submit" disabled={save.isPending || running} className="rounded-md bg-blue-600 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-700 disabled:opacity-60">
                {save.isPending ? "Saving…" : running ? "Wait for the recompute to finish" : "Save and recompute scores"}
              </button>
            </form>
          </Card>
        </div>
      ) : null}

      {dirty ? (
        <div className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-lg backdrop-blur lg:left-60">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-700" role="status">
              {config === null ? "Some fields need fixing before a preview." : previewIsCurrent ? "Preview ready below: check it, then save." : "Unsaved changes. Preview their impact before saving."}
              {previewError ? <span className="ml-2 text-red-700">{previewError}</span> : null}
            </p>
            <div className="flex gap-2">
              <button
                type="button"
                onClick={() => {
                  setEdits(NO_EDITS);
                  setShowSuggestion(false);
                  preview.reset();
                }}
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
              >
                Discard changes
              </button>
              <button
                type="button"
                disabled={config === null || preview.isPending}
                onClick={() => config && preview.mutate(config)}
                className="rounded-md bg-blue-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-700 disabled:opacity-60"
              >
                {preview.isPending ? "Computing…" : previewIsCurrent ? "Preview again" : "Preview impact"}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
