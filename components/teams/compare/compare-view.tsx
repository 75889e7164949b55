"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { EmptyState } from "@/components/card";
import { NoDataYet } from "@/components/setup/no-data-yet";
import { Field, QueryStates, SegmentedControl, SELECT_CLASS, UpdatingNote } from "@/components/query-state";
import { formatDate } from "@/lib/format";
import { DIMENSION_LABELS, DIMENSIONS, type Dimension } from "@/lib/teams/dimensions";
import { compareParamsSchema, WINDOWS } from "@/lib/teams/params";
import { compareQuery } from "@/lib/teams/query-options";
import { useHydrated } from "@/lib/use-hydrated";
import { useUrlParams } from "@/lib/use-url-params";
import { ChangeCard } from "./change-card";
import { CohortCard } from "./cohort-card";
import { ExistingCard } from "./existing-card";
import { MethodNote } from "./method-note";


export function CompareView({ isAdmin }: { isAdmin: boolean }) {
  const [params, setParams] = useUrlParams(compareParamsSchema);
  const hydrated = useHydrated();
  const compare = useQuery({ ...compareQuery(params), placeholderData: keepPreviousData });
  const data = compare.data;

  return (
    <div className="flex flex-col gap-4" data-testid="compare-view" data-hydrated={hydrated}>
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <Field label="Change" htmlFor="marker">
          <select
            id="marker"
            className={`${SELECT_CLASS} max-w-[20rem]`}
            value={data?.marker?.id ?? ""}
            onChange={(e) => setParams({ marker: Number(e.target.value), cohort: undefined })}
            disabled={!data || data.markers.length === 0}
          >
            {data?.markers.length === 0 ? <option value="">No change markers yet</option> : null}
            {data && data.markers.length > 0 && !data.marker ? <option value="">Choose a change…</option> : null}
            {data?.markers.map((m) => (
              <option key={m.id} value={m.id}>
                {formatDate(m.date)} — {m.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Window" htmlFor="window-group">
          <div id="window-group">
            <SegmentedControl label="Window before and after" options={WINDOWS} value={params.window} onChange={(window) => setParams({ window })} format={(d) => `${d} d`} />
          </div>
        </Field>
        <Field label="Split by" htmlFor="dimension">
          <select
            id="dimension"
            className={SELECT_CLASS}
            value={params.dimension}
            onChange={(e) => setParams({ dimension: e.target.value as Dimension, cohort: undefined })}
          >
            {DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {DIMENSION_LABELS[d]}
              </option>
            ))}
          </select>
        </Field>
        <UpdatingNote active={compare.isPlaceholderData && compare.isFetching} />
      </div>

      <QueryStates
        query={compare}
        loadingLabel="Comparing before and after"
        loadingHeight={320}
        noData={<NoDataYet isAdmin={isAdmin}>Before/after comparisons appear once accounts have been scored.</NoDataYet>}
      >
        {(data) =>
          !data.marker && data.markers.length > 0 && params.marker !== undefined ? (
            <EmptyState title="That change marker no longer exists">Choose another change above to compare before and after it.</EmptyState>
          ) : !data.marker && data.markers.length > 0 ? (
            <EmptyState title="Choose a change">
              None of the change markers falls inside the scores&apos; history (they are in the future or before the first scored day), so none is picked for
              you. Choose one above, or add a marker on the{" "}
              <Link href="/trends" className="font-medium text-blue-700 hover:underline">
                Trends
              </Link>{" "}
              page.
            </EmptyState>
          ) : !data.marker ? (
            <EmptyState title="No change markers yet">
              Add a change marker (a launch, a pricing change, an onboarding programme) on the{" "}
              <Link href="/trends" className="font-medium text-blue-700 hover:underline">
                Trends
              </Link>{" "}
              page, then compare the scores before and after it here.
            </EmptyState>
          ) : (
            <>
              <ChangeCard data={data} />
              <CohortCard data={data} onHorizon={(horizon) => setParams({ horizon }, { replace: true })} onSegment={(cohort) => setParams({ cohort }, { replace: true })} />
              <ExistingCard data={data} onWindow={(window) => setParams({ window })} />
              <MethodNote data={data} />
            </>
          )
        }
      </QueryStates>
    </div>
  );
}
