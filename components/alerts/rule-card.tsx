"use client";

import Link from "next/link";
import { useId, useState, type ReactNode } from "react";
import { LIFECYCLE_STAGES } from "@/db/schema/accounts";
import { FILTER_DIMENSIONS, FILTER_LABELS, RULE_INFO, type AnyRule, type FilterDimension } from "@/lib/alerts/rules";
import type { DestinationSummary } from "@/lib/alerts/server/destinations";
import type { RuleFacets } from "@/lib/alerts/server/facets";
import type { StoredRule } from "@/lib/alerts/server/rules";
import { ApiRequestError } from "@/lib/http/api-client";
import { STAGE_LABELS } from "@/lib/accounts/lists/lists";
import { formatDateTime } from "@/lib/format";
import { usePreviewRule, useSaveRule } from "@/lib/alerts/mutations";
import { buttonClass } from "../button-styles";
import { FilterPicker } from "./filter-picker";
import { PreviewResult } from "./preview-result";

function NumberField({ label, value, onChange, suffix, min, max, step = 1, error }: { label: string; value: number; onChange: (v: number) => void; suffix?: string; min: number; max: number; step?: number; error?: string }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <div className="mt-1 flex items-center gap-2">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          value={Number.isFinite(value) ? value : ""}
          min={min}
          max={max}
          step={step}
          onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className={`w-24 rounded-lg border px-2.5 py-1.5 text-sm tabular-nums shadow-sm focus:outline-none focus:ring-2 ${error ? "border-red-400 focus:ring-red-500/20" : "border-slate-300 focus:border-blue-500 focus:ring-blue-500/20"}`}
        />
        {suffix ? <span className="text-sm text-slate-600">{suffix}</span> : null}
      </div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Check({ label, checked, onChange, hint, testId }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; hint?: string; testId?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2.5">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} className="mt-0.5 size-4 rounded border-slate-300 text-blue-600" />
      <label htmlFor={id} className="text-sm text-slate-800">
        {label}
        {hint ? <span className="block text-xs text-slate-500">{hint}</span> : null}
      </label>
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="grid gap-2 sm:grid-cols-[7rem_1fr] sm:gap-4">
      <h3 className="pt-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

const FACET_OF: Record<Exclude<FilterDimension, "stages">, keyof RuleFacets> = {
  plans: "plans",
  regions: "regions",
  industries: "industries",
  tags: "tags",
  managers: "managers",
};

function same(a: AnyRule, b: AnyRule): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One built-in rule: on or off, its parameters, filters and actions, a preview of the last 30 days, and Save. */
export function RuleCard({ stored, destinations, facets }: { stored: StoredRule; destinations: DestinationSummary[]; facets: RuleFacets }) {
  const [draft, setDraft] = useState<AnyRule>(stored.rule);
  const [base, setBase] = useState<AnyRule>(stored.rule);
  // Rules that are off show only their summary until opened; switching one on opens it.
  const [expanded, setExpanded] = useState(stored.rule.enabled);
  const bodyId = useId();
  const save = useSaveRule();
  const preview = usePreviewRule();
  const info = RULE_INFO[draft.kind];
  const dirty = !same(draft, base);
  const titleId = useId();
  const fieldError = (field: string) => (save.error instanceof ApiRequestError && save.error.field === field ? save.error.message.replace(/^[\w.]+: /, "") : undefined);
  const update = (patch: Partial<AnyRule>) => setDraft((d) => ({ ...d, ...patch }) as AnyRule);
  const setParams = (params: Record<string, number>) => setDraft((d) => ({ ...d, params: { ...d.params, ...params } }) as AnyRule);

  return (
    <section aria-labelledby={titleId} className="rounded-xl border border-slate-200 bg-white shadow-sm" data-testid={`rule-${draft.kind}`}>
      <header className={`flex flex-wrap items-start justify-between gap-3 px-4 py-4 sm:px-5 ${expanded || dirty ? "border-b border-slate-100" : ""}`}>
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {info.label}
            </h2>
            {base.enabled ? (
              <span className="inline-flex items-center gap-1 rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-emerald-600/20">
                <span aria-hidden="true" className="size-1.5 rounded-full bg-emerald-500" />
                On
              </span>
            ) : (
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-slate-500/20">Off</span>
            )}
            {dirty ? <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-600/20">Unsaved changes</span> : null}
          </div>
          <p className="mt-0.5 text-sm text-slate-500">{info.description}</p>
        </div>
        <div className="flex items-center gap-3">
        <button type="button" onClick={() => setExpanded((v) => !v)} aria-expanded={expanded} aria-controls={bodyId} className="text-sm font-medium text-blue-700 hover:underline">
          {expanded ? "Hide settings" : "Settings"}
        </button>
        <label className="flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-700">
          <input
            type="checkbox"
            role="switch"
            checked={draft.enabled}
            onChange={(e) => {
              update({ enabled: e.target.checked });
              if (e.target.checked) setExpanded(true);
            }}
            aria-label={`${info.label}: ${draft.enabled ? "on" : "off"}`}
            data-testid={`rule-${draft.kind}-enabled`}
            className="h-5 w-9 cursor-pointer appearance-none rounded-full bg-slate-300 transition-colors before:block before:size-4 before:translate-x-0.5 before:rounded-full before:bg-white before:shadow before:transition-transform checked:bg-blue-600 checked:before:translate-x-[1.125rem] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
          />
          {draft.enabled ? "On" : "Off"}
        </label>
        </div>
      </header>

      <div id={bodyId} hidden={!expanded} className="space-y-5 px-4 py-4 sm:px-5">
        <Section title="When">
          <div className="flex flex-wrap gap-4">
            {draft.kind === "renewal_window" ? (
              <NumberField label="Renewal within" suffix="days" value={draft.params.days} min={1} max={365} onChange={(days) => setParams({ days })} error={fieldError("params.days")} />
            ) : draft.kind === "trial_ending" ? (
              <>
                <NumberField label="Trial ends within" suffix="days" value={draft.params.days} min={1} max={90} onChange={(days) => setParams({ days })} error={fieldError("params.days")} />
                <NumberField label="Score below" suffix="points" value={draft.params.belowScore} min={-10000} max={10000} step={0.5} onChange={(belowScore) => setParams({ belowScore })} error={fieldError("params.belowScore")} />
              </>
            ) : (
              <NumberField
                label="Then quiet about the account for"
                suffix="days"
                value={draft.params.quietDays}
                min={0}
                max={90}
                onChange={(quietDays) => setParams({ quietDays })}
                error={fieldError("params.quietDays")}
              />
            )}
          </div>
          <p className="mt-2 text-xs text-slate-500">
            {draft.kind === "renewal_window" || draft.kind === "trial_ending"
              ? "Checked once a day with that day's scores; each renewal or trial fires once."
              : "Fires once per change of the score (events or the passing days), never because the weights changed: a new scoring configuration is summarised once for admins."}
          </p>
        </Section>

        <Section title="For accounts">
          <div className="flex flex-wrap gap-2">
            {FILTER_DIMENSIONS.map((dimension) =>
              dimension === "stages" ? (
                <FilterPicker
                  key={dimension}
                  label={FILTER_LABELS.stages}
                  options={LIFECYCLE_STAGES}
                  selected={draft.filters.stages}
                  format={(v) => STAGE_LABELS[LIFECYCLE_STAGES.find((s) => s === v) ?? "customer"]}
                  onChange={(values) => update({ filters: { ...draft.filters, stages: LIFECYCLE_STAGES.filter((s) => values.includes(s)) } })}
                />
              ) : (
                <FilterPicker
                  key={dimension}
                  label={FILTER_LABELS[dimension]}
                  options={facets[FACET_OF[dimension]]}
                  selected={draft.filters[dimension]}
                  onChange={(values) => update({ filters: { ...draft.filters, [dimension]: values } })}
                />
              ),
            )}
          </div>
        </Section>

        <Section title="Then">
          <div className="space-y-3">
            <Check label="Create a task for the account manager" checked={draft.createTask} onChange={(createTask) => update({ createTask })} testId={`rule-${draft.kind}-task`} />
            {draft.createTask ? (
              <div className="ml-6 grid gap-3 sm:grid-cols-[auto_1fr]">
                <NumberField label="Due in" suffix="days" value={draft.taskDueDays} min={0} max={90} onChange={(taskDueDays) => update({ taskDueDays })} error={fieldError("taskDueDays")} />
                <PlaybookField value={draft.playbook} onChange={(playbook) => update({ playbook })} error={fieldError("playbook")} />
              </div>
            ) : null}
            <Check label="Show it in the notifications menu" hint="Of the account's managers (admins when nobody works the account's book)." checked={draft.notifyInApp} onChange={(notifyInApp) => update({ notifyInApp })} />
            <Check label="Email them at once" hint="Besides the daily digest; each person can unsubscribe." checked={draft.emailImmediately} onChange={(emailImmediately) => update({ emailImmediately })} />
            <fieldset>
              <legend className="text-sm text-slate-800">Send to</legend>
              {destinations.length === 0 ? (
                <p className="mt-1 text-sm text-slate-500">
                  No Slack channels or webhooks yet.{" "}
                  <Link href="/admin/alerts/destinations" className="font-medium text-blue-700 hover:underline">
                    Add one
                  </Link>
                </p>
              ) : (
                <div className="mt-1.5 flex flex-wrap gap-x-5 gap-y-2">
                  {destinations.map((d) => (
                    <Check
                      key={d.id}
                      label={
                        <>
                          {d.name} <span className="text-xs text-slate-500">({d.kind === "slack" ? "Slack" : "webhook"}{d.enabled ? "" : ", paused"})</span>
                        </>
                      }
                      checked={draft.destinationIds.includes(d.id)}
                      onChange={(on) => update({ destinationIds: on ? [...draft.destinationIds, d.id] : draft.destinationIds.filter((x) => x !== d.id) })}
                    />
                  ))}
                </div>
              )}
            </fieldset>
          </div>
        </Section>
      </div>

      <footer hidden={!expanded && !dirty} className="flex flex-col gap-3 border-t border-slate-100 px-4 py-3 sm:px-5">
        {preview.data ? <PreviewResult preview={preview.data} /> : null}
        {preview.isError ? (
          <p role="alert" className="text-sm text-red-700">
            Could not preview: {preview.error.message}
          </p>
        ) : null}
        {save.isError && !(save.error instanceof ApiRequestError && save.error.field) ? (
          <p role="alert" className="text-sm text-red-700">
            Could not save: {save.error.message}
          </p>
        ) : null}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p className="text-xs text-slate-500" role="status" aria-live="polite">
            {save.isSuccess && !dirty ? "Saved." : stored.updatedAt !== null ? `Last saved ${formatDateTime(stored.updatedAt)} by ${stored.updatedBy ?? "?"}` : "Never saved: off by default."}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" onClick={() => preview.mutate(draft)} disabled={preview.isPending} className={buttonClass("secondary")} data-testid={`rule-${draft.kind}-preview`}>
              {preview.isPending ? "Counting…" : "Preview last 30 days"}
            </button>
            {dirty ? (
              <button type="button" onClick={() => setDraft(base)} className={buttonClass("secondary")}>
                Discard
              </button>
            ) : null}
            <button
              type="button"
              disabled={!dirty || save.isPending}
              onClick={() =>
                save.mutate(draft, {
                  onSuccess: (saved) => {
                    setBase(saved.rule);
                    setDraft(saved.rule);
                  },
                })
              }
              className={buttonClass("primary")}
              data-testid={`rule-${draft.kind}-save`}
            >
              {save.isPending ? "Saving…" : "Save rule"}
            </button>
          </div>
        </div>
      </footer>
    </section>
  );
}

function PlaybookField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        Playbook line on the task
      </label>
      <input
        id={id}
        value={value}
        maxLength={300}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        className={`mt-1 w-full rounded-lg border px-2.5 py-1.5 text-sm shadow-sm focus:outline-none focus:ring-2 ${error ? "border-red-400 focus:ring-red-500/20" : "border-slate-300 focus:border-blue-500 focus:ring-blue-500/20"}`}
      />
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  );
}

