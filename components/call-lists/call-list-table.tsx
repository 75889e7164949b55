"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { dateColumn, listColumns, showsColumn, type ColumnKey } from "@/lib/call-lists/columns";
import type { CallListId } from "@/lib/call-lists/lists";
import { renewsWithinWindow } from "@/lib/call-lists/membership";
import { defaultSortDir, type SortDir, type SortKey } from "@/lib/call-lists/query";
import type { CallListRow } from "@/lib/call-lists/types";
import { dayFromIsoDate, dayFromMs, parseIsoDate } from "@/lib/days";
import { formatCurrency, formatDate, formatPoints, formatRelativeDay } from "@/lib/format";
import { CONTACT_OUTCOME_LABELS } from "@/lib/worklist/outcomes";
import { churnReason } from "@/lib/scoring/standing";
import { ChurnRiskFlag, DecliningBadge, NewAccountFlag, NotActiveYetFlag, PowerUserFlag, RenewalSoonBadge, SnoozedBadge } from "../accounts/flags";
import { BandMove, ScoreChange, type StandingPoint } from "../accounts/score-change";
import { StandingBadge } from "../standing-badge";

export interface RowActions {
  onLogContact: (row: CallListRow) => void;
  onSnooze: (row: CallListRow) => void;
}

interface Column {
  key: string;
  label: string;
  sort?: SortKey;
  align?: "right";
  className?: string;
}

/** The score, band and activity on the comparison day, or null for a new account. */
function previousOf(row: CallListRow): StandingPoint | null {
  return row.previousBand === null || row.previousActivity === null ? null : { band: row.previousBand, activity: row.previousActivity };
}

function changeOf(row: CallListRow): number | null {
  return row.previousHundredths === null ? null : row.scoreHundredths - row.previousHundredths;
}

/** How each column is drawn; which columns a list shows is lib/call-lists/columns.ts's. */
const COLUMN_STYLE: Record<ColumnKey, Pick<Column, "align" | "className">> = {
  name: { className: "w-auto" },
  score: { align: "right", className: "w-[4.75rem]" },
  band: { className: "w-[7rem]" },
  change: { align: "right", className: "w-[5.25rem]" },
  renewal: { className: "w-[7rem]" },
  trialEnd: { className: "w-[7rem]" },
  since: { className: "w-[7rem]" },
  arr: { align: "right", className: "w-[5.75rem]" },
  manager: { className: "w-[7.5rem]" },
  lastContact: { className: "w-[7.25rem]" },
};

function columnsFor(list: CallListId, showManager: boolean): Column[] {
  return listColumns(list, showManager).map((c) => ({ ...c, ...COLUMN_STYLE[c.key] }));
}

function SortHeader({ column, sort, dir, onSort }: { column: Column; sort: SortKey | null; dir: SortDir; onSort: (key: SortKey, dir: SortDir) => void }) {
  const key = column.sort;
  const active = key !== undefined && sort === key;
  const ariaSort = active ? (dir === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={ariaSort} className={`px-3 py-2.5 font-medium ${column.align === "right" ? "text-right" : "text-left"} ${column.className ?? ""}`}>
      {key ? (
        <button
          type="button"
          onClick={() => onSort(key, active ? (dir === "asc" ? "desc" : "asc") : defaultSortDir(key))}
          className={`group inline-flex items-center gap-1 whitespace-nowrap rounded uppercase tracking-wide hover:text-slate-900 ${active ? "text-slate-900" : ""}`}
        >
          {column.label}
          <span aria-hidden="true" className={`text-[10px] ${active ? "text-blue-600" : "text-slate-300 group-hover:text-slate-400"}`}>
            {active ? (dir === "asc" ? "▲" : "▼") : "↕"}
          </span>
          <span className="sr-only">{active ? `, sorted ${ariaSort}; sort ${dir === "asc" ? "descending" : "ascending"}` : ", sort"}</span>
        </button>
      ) : (
        <span className="uppercase tracking-wide">{column.label}</span>
      )}
    </th>
  );
}

function Flags({
  row,
  list,
  today,
  windowDays,
  compareDays,
  renewal = false,
}: {
  row: CallListRow;
  list: CallListId;
  today: number;
  windowDays: number;
  compareDays: number;
  renewal?: boolean;
}) {
  const renewalDay = row.renewalDate ? parseIsoDate(row.renewalDate) : null;
  const renewsSoon = renewal && list === "medium" && renewsWithinWindow(row.renewalDate, today);
  const flags: ReactNode[] = [];
  const reason = churnReason(row.band, row.activity, row.stage);
  if (reason) flags.push(<ChurnRiskFlag key="churn" reason={reason} windowDays={windowDays} />);
  if (row.activity === "not_active_yet" && list !== "onboarding") flags.push(<NotActiveYetFlag key="onboarding" windowDays={windowDays} />);
  if (row.previousHundredths === null) flags.push(<NewAccountFlag key="new" since={row.firstDate} />);
  if (row.band === "power") flags.push(<PowerUserFlag key="power" />);
  if (row.declining) flags.push(<DecliningBadge key="declining" compareDays={compareDays} />);
  if (renewsSoon && renewalDay !== null) flags.push(<RenewalSoonBadge key="renewal" days={renewalDay - today} />);
  if (row.snoozedUntil) flags.push(<SnoozedBadge key="snoozed" until={row.snoozedUntil} />);
  if (flags.length === 0) return null;
  return <div className="mt-1 flex flex-wrap gap-1">{flags}</div>;
}

function LastContactCell({ row, today }: { row: CallListRow; today: number }) {
  if (!row.lastContact) return <span className="text-slate-400">Never</span>;
  const day = dayFromMs(row.lastContact.at);
  return (
    <span className="block leading-tight" title={`${CONTACT_OUTCOME_LABELS[row.lastContact.outcome]} by ${row.lastContact.by}`}>
      <span className="whitespace-nowrap text-slate-800">{formatRelativeDay(day, today)}</span>
      <span className="block whitespace-nowrap text-xs text-slate-500">{CONTACT_OUTCOME_LABELS[row.lastContact.outcome]}</span>
    </span>
  );
}

/** A trial ending within a week is flagged like a renewal inside the renewal window. */
function endsWithinAWeek(date: string | null, today: number): boolean {
  const day = date ? parseIsoDate(date) : null;
  return day !== null && day >= today && day - today <= 7;
}

function DateCell({ date, today, soon = false }: { date: string | null; today: number; soon?: boolean }) {
  const day = date ? parseIsoDate(date) : null;
  if (!date || day === null) return <span className="text-slate-400">—</span>;
  return (
    <span className="block leading-tight">
      <span className="whitespace-nowrap text-slate-800">{formatDate(date)}</span>
      <span className={`block whitespace-nowrap text-xs ${soon ? "font-medium text-amber-700" : "text-slate-500"}`}>{formatRelativeDay(day, today)}</span>
    </span>
  );
}

const PHONE_ICON = "M4 3.5h3l1.5 4-2 1.2a9 9 0 004.8 4.8l1.2-2 4 1.5v3a1.5 1.5 0 01-1.6 1.5A14 14 0 012.5 5.1 1.5 1.5 0 014 3.5z";

function ActionIcon({ d, circle }: { d: string; circle?: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="none" stroke="currentColor" strokeWidth={1.7} strokeLinecap="round" strokeLinejoin="round">
      {circle ? <circle cx="10" cy="10" r="7" /> : null}
      <path d={d} />
    </svg>
  );
}

/** Icon buttons in the table (named for screen readers and on hover), labelled buttons on cards. */
function ActionButtons({ row, actions, labelled = false }: { row: CallListRow; actions: RowActions; labelled?: boolean }) {
  const base = labelled
    ? "inline-flex items-center gap-1.5 rounded-md border border-slate-200 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:border-slate-300 hover:bg-slate-50"
    : "inline-flex size-8 items-center justify-center rounded-md border border-slate-200 bg-white text-slate-600 shadow-sm hover:border-slate-300 hover:bg-slate-50 hover:text-slate-900";
  const snoozeLabel = row.snoozedUntil ? "Change snooze" : "Snooze";
  return (
    <div className={`flex gap-1.5 ${labelled ? "" : "justify-end"}`}>
      <button type="button" onClick={() => actions.onLogContact(row)} className={base} title={`Log contact with ${row.name}`} aria-label={labelled ? undefined : `Log contact with ${row.name}`}>
        <ActionIcon d={PHONE_ICON} />
        {labelled ? (
          <>
            Log contact<span className="sr-only"> with {row.name}</span>
          </>
        ) : null}
      </button>
      <button
        type="button"
        onClick={() => actions.onSnooze(row)}
        className={`${base} ${row.snoozedUntil ? "text-blue-700" : ""}`}
        title={`${snoozeLabel} ${row.name}`}
        aria-label={labelled ? undefined : `${snoozeLabel} ${row.name}`}
      >
        <ActionIcon d="M10 6v4l2.5 2" circle />
        {labelled ? (
          <>
            {snoozeLabel}
            <span className="sr-only"> {row.name}</span>
          </>
        ) : null}
      </button>
    </div>
  );
}

export function CallListTable({
  rows,
  list,
  today,
  windowDays,
  compareDays,
  sort,
  dir,
  onSort,
  actions,
  showManager,
}: {
  rows: CallListRow[];
  list: CallListId;
  /** Today (ISO) as the server saw it. */
  today: string;
  windowDays: number;
  compareDays: number;
  sort: SortKey | null;
  dir: SortDir;
  onSort: (key: SortKey, dir: SortDir) => void;
  /** Row actions for users who work the lists; null for read-only viewers. */
  actions: RowActions | null;
  /** False when the list is one manager's book: the column would repeat one name. */
  showManager: boolean;
}) {
  const todayDay = dayFromIsoDate(today);
  const columns = columnsFor(list, showManager);
  const dateKey = dateColumn(list).key;
  return (
    <>
      {/* Wide screens: a table (scrolling inside its card when the window is just too narrow). */}
      <div className="hidden overflow-x-auto relative lg:block">
        <table className="w-full min-w-[56rem] table-fixed text-sm" data-testid="call-list-table">
          <thead className="border-b border-slate-200 bg-slate-50/80 text-xs text-slate-500">
            <tr>
              {columns.map((c) => (
                <SortHeader key={c.key} column={c} sort={sort} dir={dir} onSort={onSort} />
              ))}
              {actions ? (
                <th scope="col" className="w-[5.25rem] px-2 py-2.5">
                  <span className="sr-only">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id} data-testid="call-list-row" data-account-id={row.id} className="align-top hover:bg-slate-50/70">
                <td className="px-3 py-2.5">
                  <Link href={`/accounts/${row.id}`} className="block truncate font-medium text-slate-900 hover:text-blue-700 hover:underline" title={row.name}>
                    {row.name}
                  </Link>
                  <span className="block truncate text-xs text-slate-500">
                    {[row.plan, row.region].filter(Boolean).join(" · ") || "\u00a0"}
                  </span>
                  <Flags row={row} list={list} today={todayDay} windowDays={windowDays} compareDays={compareDays} />
                </td>
                <td className="px-3 py-2.5 text-right text-base font-semibold tabular-nums text-slate-900" data-testid="row-score">
                  {formatPoints(row.scoreHundredths)}
                </td>
                <td className="px-3 py-2.5">
                  <StandingBadge band={row.band} activity={row.activity} />
                  <BandMove previous={previousOf(row)} current={row} className="mt-1 block" />
                </td>
                <td className="px-3 py-2.5 text-right">
                  <ScoreChange deltaHundredths={changeOf(row)} compareDays={compareDays} />
                </td>
                <td className="px-3 py-2.5" data-testid={dateKey === "trialEnd" ? "row-trial-end" : dateKey === "since" ? "row-since" : "row-renewal"}>
                  {dateKey === "trialEnd" ? (
                    <DateCell date={row.trialEndDate} today={todayDay} soon={endsWithinAWeek(row.trialEndDate, todayDay)} />
                  ) : dateKey === "since" ? (
                    <DateCell date={row.firstDate} today={todayDay} />
                  ) : (
                    <DateCell date={row.renewalDate} today={todayDay} soon={renewsWithinWindow(row.renewalDate, todayDay)} />
                  )}
                </td>
                {showsColumn(list, showManager, "arr") ? <td className="px-3 py-2.5 text-right tabular-nums text-slate-800">{formatCurrency(row.arr)}</td> : null}
                {showManager ? (
                  <td className="truncate px-3 py-2.5 text-slate-700" title={row.accountManager ?? undefined}>
                    {row.accountManager ?? <span className="text-slate-400">Unassigned</span>}
                  </td>
                ) : null}
                <td className="px-3 py-2.5" data-testid="row-last-contact">
                  <LastContactCell row={row} today={todayDay} />
                </td>
                {actions ? (
                  <td className="px-2 py-2.5">
                    <ActionButtons row={row} actions={actions} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {/* Phones: one card per account. */}
      <ul className="divide-y divide-slate-100 lg:hidden" data-testid="call-list-cards">
        {rows.map((row) => (
          <li key={row.id} className="px-4 py-3">
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <Link href={`/accounts/${row.id}`} className="block truncate font-medium text-slate-900 hover:text-blue-700 hover:underline">
                  {row.name}
                </Link>
                <span className="block truncate text-xs text-slate-500">{[row.plan, row.accountManager].filter(Boolean).join(" · ")}</span>
              </div>
              <div className="shrink-0 text-right">
                <div className="text-lg font-semibold tabular-nums leading-6 text-slate-900">{formatPoints(row.scoreHundredths)}</div>
                <ScoreChange deltaHundredths={changeOf(row)} compareDays={compareDays} className="text-xs" />
              </div>
            </div>
            <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1">
              <StandingBadge band={row.band} activity={row.activity} />
              <BandMove previous={previousOf(row)} current={row} />
            </div>
            <Flags row={row} list={list} today={todayDay} windowDays={windowDays} compareDays={compareDays} renewal />
            <dl className="mt-2 grid grid-cols-3 gap-2 text-xs">
              <div>
                <dt className="text-slate-500">{dateColumn(list).label}</dt>
                <dd className="text-slate-800">{formatDate(dateKey === "trialEnd" ? row.trialEndDate : dateKey === "since" ? row.firstDate : row.renewalDate)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">ARR</dt>
                <dd className="tabular-nums text-slate-800">{formatCurrency(row.arr, true)}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Last contact</dt>
                <dd className="text-slate-800">
                  {row.lastContact ? `${formatRelativeDay(dayFromMs(row.lastContact.at), todayDay)}` : "Never"}
                </dd>
              </div>
            </dl>
            {actions ? (
              <div className="mt-2.5">
                <ActionButtons row={row} actions={actions} labelled />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}
