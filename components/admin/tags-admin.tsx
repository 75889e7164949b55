"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { Card } from "@/components/card";
import { ErrorBlock, LoadingBlock, SegmentedControl } from "@/components/query-state";
import { apiFetchData } from "@/lib/http/api-client";
import { formatCount } from "@/lib/format";
import { BAND_INFO, BANDS } from "@/lib/scoring/bands";
import { STAGE_LABELS } from "@/lib/teams/dimensions";
import { encodeSegmentList } from "@/lib/teams/params";
import { teamKeys } from "@/lib/teams/query-options";
import { splitExternalIds, type AccountFilter, type TagChangeResult, type TagsOverview } from "@/lib/teams/tags";
import { tagsKey, tagsQuery } from "@/lib/teams/tags-query";
import { DateInput } from "@/components/date-input";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { useHydrated } from "@/lib/use-hydrated";

const INPUT =
  "w-full rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 shadow-sm focus:border-blue-500 focus:outline-none focus:ring-2 focus:ring-blue-500/30";

type Mode = "filter" | "ids";
type Action = "add" | "remove";

interface Request {
  action: Action;
  tag: string;
  selection: { by: "filter"; filter: AccountFilter } | { by: "ids"; externalIds: string[] };
  preview: boolean;
}

function cleanFilter(filter: Record<string, string>): AccountFilter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== "")) as AccountFilter;
}

export function TagsAdmin() {
  const overview = useQuery(tagsQuery());
  const hydrated = useHydrated();
  if (overview.isPending) return <LoadingBlock label="Loading tags" />;
  if (overview.isError) return <ErrorBlock error={overview.error} onRetry={() => void overview.refetch()} />;
  if (overview.data.totalAccounts === 0) {
    return (
      <NoDataYet title="No accounts to tag yet" isAdmin>
        Tags label accounts in bulk, by filter or by a list of ids, once your accounts are in.
      </NoDataYet>
    );
  }
  return (
    <div className="grid gap-4 lg:grid-cols-5" data-testid="tags-admin" data-hydrated={hydrated}>
      <BulkTagCard overview={overview.data} />
      <TagListCard overview={overview.data} />
    </div>
  );
}

function TagListCard({ overview }: { overview: TagsOverview }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (tag: string) => apiFetchData<{ tag: string; accounts: number }>(`/api/admin/tags/${encodeURIComponent(tag)}`, { method: "DELETE" }),
    onSuccess: async () => {
      setConfirming(null);
      await Promise.all([queryClient.invalidateQueries({ queryKey: tagsKey }), queryClient.invalidateQueries({ queryKey: teamKeys.all })]);
    },
  });
  return (
    <Card title="Tags in use" description={`${formatCount(overview.tags.length)} tags on ${formatCount(overview.totalAccounts)} accounts`} className="self-start lg:col-span-2">
      {overview.tags.length === 0 ? (
        <p className="text-sm text-slate-500">No account is tagged yet. Tag some with the form.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Tags">
          {overview.tags.map((t) => (
            <li key={t.tag} className="flex flex-wrap items-center justify-between gap-2 py-2.5" data-testid="tag-item">
              <div className="min-w-0">
                <span className="inline-flex max-w-full items-center truncate rounded-full bg-blue-50 px-2.5 py-0.5 text-sm font-medium text-blue-800 ring-1 ring-inset ring-blue-600/20">{t.tag}</span>
                <span className="ml-2 text-sm tabular-nums text-slate-500">{formatCount(t.accounts)} accounts</span>
              </div>
              {confirming === t.tag ? (
                <div className="flex items-center gap-2 text-sm">
                  <span className="text-slate-600">Remove from all?</span>
                  <button type="button" onClick={() => remove.mutate(t.tag)} disabled={remove.isPending} className="rounded-md bg-red-600 px-2.5 py-1 font-medium text-white hover:bg-red-700 disabled:opacity-60">
                    Remove
                  </button>
                  <button type="button" onClick={() => setConfirming(null)} className="rounded-md px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-100">
                    Keep
                  </button>
                </div>
              ) : (
                <div className="flex gap-1 text-sm">
                  <Link href={`/segments?dimension=tag&compare=${encodeURIComponent(encodeSegmentList([t.tag, "__none"]))}`} className="rounded-md px-2.5 py-1 font-medium text-blue-700 hover:bg-blue-50">
                    Compare
                  </Link>
                  <button type="button" onClick={() => setConfirming(t.tag)} aria-label={`Remove the tag ${t.tag} from all accounts`} className="rounded-md px-2.5 py-1 font-medium text-red-700 hover:bg-red-50">
                    Remove
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError ? <ErrorBlock error={remove.error} /> : null}
    </Card>
  );
}

function BulkTagCard({ overview }: { overview: TagsOverview }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action>("add");
  const [mode, setMode] = useState<Mode>("filter");
  const [tag, setTag] = useState("");
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [idsText, setIdsText] = useState("");
  const [preview, setPreview] = useState<TagChangeResult | null>(null);
  const [done, setDone] = useState<TagChangeResult | null>(null);

  const change = useMutation({
    mutationFn: (request: Request) => apiFetchData<TagChangeResult>("/api/admin/tags", { method: "POST", body: JSON.stringify(request) }),
    onSuccess: async (result) => {
      if (result.preview) {
        setPreview(result);
        return;
      }
      setPreview(null);
      setDone(result);
      await Promise.all([queryClient.invalidateQueries({ queryKey: tagsKey }), queryClient.invalidateQueries({ queryKey: teamKeys.all })]);
    },
  });

  const request = (isPreview: boolean): Request => ({
    action,
    tag,
    selection: mode === "ids" ? { by: "ids", externalIds: splitExternalIds(idsText) } : { by: "filter", filter: cleanFilter(filter) },
    preview: isPreview,
  });
  const edited = () => {
    setPreview(null);
    setDone(null);
    change.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(request(preview === null));
  };
  const select = (key: keyof AccountFilter, label: string, options: { value: string; label: string }[]) => (
    <div>
      <label htmlFor={`${id}-${key}`} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <select
        id={`${id}-${key}`}
        className={INPUT}
        value={filter[key] ?? ""}
        onChange={(e) => {
          setFilter({ ...filter, [key]: e.target.value });
          edited();
        }}
      >
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  const plain = (values: string[]) => values.map((v) => ({ value: v, label: v }));

  return (
    <Card title="Tag accounts in bulk" description="Choose the accounts by filter or paste their external ids; preview, then apply. Every change is audited." className="lg:col-span-3">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Bulk tagging">
        <div className="flex flex-wrap items-end gap-4">
          <SegmentedControl
            label="Action"
            options={["add", "remove"] as const}
            value={action}
            onChange={(a) => {
              setAction(a);
              edited();
            }}
            format={(a) => (a === "add" ? "Add tag" : "Remove tag")}
          />
          <div className="min-w-[12rem] flex-1">
            <label htmlFor={`${id}-tag`} className="text-xs font-medium text-slate-600">
              Tag
            </label>
            <input
              id={`${id}-tag`}
              required
              maxLength={64}
              list={`${id}-tags`}
              value={tag}
              onChange={(e) => {
                setTag(e.target.value);
                edited();
              }}
              placeholder="e.g. onboarding-pilot"
              className={INPUT}
            />
            <datalist id={`${id}-tags`}>
              {overview.tags.map((t) => (
                <option key={t.tag} value={t.tag} />
              ))}
            </datalist>
          </div>
        </div>

        <fieldset>
          <legend className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-500">Which accounts</legend>
          <SegmentedControl
            label="Choose accounts"
            options={["filter", "ids"] as const}
            value={mode}
            onChange={(m) => {
              setMode(m);
              edited();
            }}
            format={(m) => (m === "filter" ? "By filter" : "By external ids")}
          />
          {mode === "filter" ? (
            <div className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {select("plan", "Plan", plain(overview.options.plans))}
              {select("region", "Region", plain(overview.options.regions))}
              {select("industry", "Industry", plain(overview.options.industries))}
              {select("accountManager", "Account manager", plain(overview.options.accountManagers))}
              {select("stage", "Lifecycle stage", Object.entries(STAGE_LABELS).map(([value, label]) => ({ value, label })))}
              {select("band", "Current band", BANDS.map((b) => ({ value: b, label: BAND_INFO[b].label })))}
              {(["signupFrom", "signupTo"] as const).map((key) => (
                <div key={key}>
                  <label htmlFor={`${id}-${key}`} className="text-xs font-medium text-slate-600">
                    {key === "signupFrom" ? "Signed up from" : "Signed up until"}
                  </label>
                  <DateInput
                    id={`${id}-${key}`}
                    label={key === "signupFrom" ? "the first signup date" : "the last signup date"}
                    value={filter[key] ?? ""}
                    onChange={(date) => {
                      setFilter({ ...filter, [key]: date });
                      edited();
                    }}
                  />
                </div>
              ))}
            </div>
          ) : (
            <div className="mt-3">
              <label htmlFor={`${id}-ids`} className="text-xs font-medium text-slate-600">
                External ids (separated by commas, spaces or new lines)
              </label>
              <textarea
                id={`${id}-ids`}
                rows={5}
                value={idsText}
                onChange={(e) => {
                  setIdsText(e.target.value);
                  edited();
                }}
                placeholder={"acc_00001\nacc_00002"}
                className={`${INPUT} font-mono`}
              />
              <p className="mt-1 text-xs text-slate-500">{formatCount(splitExternalIds(idsText).length)} distinct ids</p>
            </div>
          )}
        </fieldset>

        {preview ? (
          <div role="status" className="rounded-lg border border-blue-200 bg-blue-50 px-4 py-3 text-sm text-blue-900" data-testid="tag-preview">
            The selection matches <strong>{formatCount(preview.matched)}</strong> accounts: {formatCount(preview.changed)} will{" "}
            {preview.action === "add" ? "get" : "lose"} the tag “{preview.tag}”
            {preview.matched - preview.changed > 0 ? ` (${formatCount(preview.matched - preview.changed)} ${preview.action === "add" ? "already have it" : "do not have it"})` : ""}.
            {preview.unknownCount > 0 ? <UnknownIds result={preview} /> : null}
          </div>
        ) : null}
        {done ? (
          <div role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900" data-testid="tag-done">
            Done: {formatCount(done.changed)} accounts {done.action === "add" ? "tagged" : "untagged"} “{done.tag}”.
            {done.unknownCount > 0 ? <UnknownIds result={done} /> : null}
          </div>
        ) : null}
        {change.isError ? <ErrorBlock error={change.error} /> : null}

        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            disabled={change.isPending || (preview !== null && preview.changed === 0)}
            className="rounded-lg bg-blue-600 px-4 py-2 text-sm font-medium text-white shadow-sm hover:bg-blue-700 disabled:opacity-60"
          >
            {change.isPending
              ? "Working…"
              : preview
                ? `${action === "add" ? "Tag" : "Untag"} ${formatCount(preview.changed)} accounts`
                : "Preview"}
          </button>
          {preview ? (
            <button type="button" onClick={edited} className="rounded-lg px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
              Change selection
            </button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

function UnknownIds({ result }: { result: TagChangeResult }) {
  return (
    <p className="mt-1 text-amber-800">
      {formatCount(result.unknownCount)} external ids match no account: {result.unknownExternalIds.join(", ")}
      {result.unknownCount > result.unknownExternalIds.length ? " …" : ""}
    </p>
  );
}
