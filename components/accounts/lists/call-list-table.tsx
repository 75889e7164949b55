"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { dateColumn, listColumns, showsColumn, type ColumnKey } from "@/lib/accounts/lists/columns";
import type { CallListId } from "@/lib/accounts/lists/lists";
import { renewsWithinWindow } from "@/lib/accounts/lists/membership";
import { defaultSortDir, type SortDir, type SortKey } from "@/lib/accounts/lists/query";
import type { CallListRow } from "@/lib/accounts/lists/types";
import { dayFromIsoDate, dayFromMs, parseIsoDate } from "@/lib/days";
import { formatCurrency, formatDate, formatPoints, formatRelativeDay } from "@/lib/format";
import { CONTACT_OUTCOME_LABELS } from "@/lib/accounts/contact-outcomes";
import { churnReason } from "@/lib/scoring/standing";
import { ChurnRiskFlag, DecliningBadge, NewAccountFlag, NotActiveYetFlag, PowerUserFlag, SnoozedBadge } from "../flags";
import { BandMove, ScoreChange, type StandingPoint } from "../score-change";
import { StandingBadge } from "@/components/standing-badge";

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

/** How each column is drawn; which columns a list shows is lib/accounts/lists/columns.ts's. */
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
  windowDays,
  compareDays,
}: {
  row: CallListRow;
  list: CallListId;
  windowDays: number;
  compareDays: number;
}) {
  const flags: ReactNode[] = [];
  const reason = churnReason(row.band, row.activity, row.stage);
  if (reason) flags.push(<ChurnRiskFlag key="churn" reason={reason} windowDays={windowDays} />);
  if (row.activity === "not_active_yet" && list !== "onboarding") flags.push(<NotActiveYetFlag key="onboarding" windowDays={windowDays} />);
  if (row.previousHundredths === null) flags.push(<NewAccountFlag key="new" since={row.firstDate} />);
  if (row.band === "power") flags.push(<PowerUserFlag key="power" />);
  if (row.declining) flags.push(<DecliningBadge key="declining" compareDays={compareDays} />);
  if (row.snoozedUntil) flags.push(<SnoozedBadge key="snoozed" until={row.snoozedUntil} />);
  // How soon a renewal is shows in the date cell, on every screen.
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

/**
 * Icon buttons on wide screens (named for screen readers and on hover), labelled buttons on
 * phones: one markup, the label hidden visually from the lg breakpoint on.
 */
function ActionButtons({ row, actions }: { row: CallListRow; actions: RowActions }) {
  const base =
    "inline-flex items-center gap-1.5 rounded-md border border-slate-200 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:border-slate-300 hover:bg-slate-50 hover:text-slate-900 lg:size-8 lg:justify-center lg:gap-0 lg:p-0 lg:text-slate-600";
  const snoozeLabel = row.snoozedUntil ? "Change snooze" : "Snooze";
  return (
    <div className="flex gap-1.5 lg:justify-end">
      <button type="button" onClick={() => actions.onLogContact(row)} className={base} title={`Log contact with ${row.name}`}>
        <ActionIcon d={PHONE_ICON} />
        <span className="lg:sr-only">Log contact</span>
        <span className="sr-only"> with {row.name}</span>
      </button>
      <button type="button" onClick={() => actions.onSnooze(row)} className={`${base} ${row.snoozedUntil ? "text-blue-700 lg:text-blue-700" : ""}`} title={`${snoozeLabel} ${row.name}`}>
        <ActionIcon d="M10 6v4l2.5 2" circle />
        <span className="lg:sr-only">{snoozeLabel}</span>
        <span className="sr-only"> {row.name}</span>
      </button>
    </div>
  );
}

/** A caption shown above a value on phones, where the column headers are not. */
function PhoneLabel({ children }: { children: ReactNode }) {
  return <span className="block text-xs text-slate-500 lg:hidden">{children}</span>;
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
  const date = dateColumn(list);
  // One markup for every screen, so each row is drawn once: a table from the lg breakpoint on;
  // below it each row is laid out as a card (a three-column grid: name and score, standing and
  // change, the dates and ARR, the actions). A table plus a list of cards of the same rows
  // doubled the page's HTML and its rendering time.
  const cell = "block lg:table-cell lg:px-3 lg:py-2.5";
  return (
    <div className="lg:overflow-x-auto">
      <table className="block w-full text-sm lg:table lg:min-w-[56rem] lg:table-fixed" data-testid="call-list-table">
        <thead className="hidden border-b border-slate-200 bg-slate-50/80 text-xs text-slate-500 lg:table-header-group">
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
        <tbody className="block divide-y divide-slate-100 lg:table-row-group">
          {rows.map((row) => (
            <tr
              key={row.id}
              data-testid="call-list-row"
              data-account-id={row.id}
              className="grid grid-cols-3 gap-x-3 gap-y-1.5 px-4 py-3 align-top hover:bg-slate-50/70 lg:table-row lg:p-0"
            >
              <td className={`${cell} col-span-2 min-w-0`}>
                <Link href={`/accounts/${row.id}`} className="block truncate font-medium text-slate-900 hover:text-blue-700 hover:underline" title={row.name}>
                  {row.name}
                </Link>
                <span className="block truncate text-xs text-slate-500">
                  {[row.plan, row.region].filter(Boolean).join(" · ") || "\u00a0"}
                  {row.accountManager && showManager ? <span className="lg:hidden"> · {row.accountManager}</span> : null}
                </span>
                <Flags row={row} list={list} windowDays={windowDays} compareDays={compareDays} />
              </td>
              <td className={`${cell} text-right text-lg font-semibold tabular-nums leading-6 text-slate-900 lg:text-base`} data-testid="row-score">
                {formatPoints(row.scoreHundredths)}
              </td>
              <td className={`${cell} col-span-2`}>
                <span className="flex flex-wrap items-center gap-x-2 gap-y-1 lg:block">
                  <StandingBadge band={row.band} activity={row.activity} />
                  <BandMove previous={previousOf(row)} current={row} className="lg:mt-1 lg:block" />
                </span>
              </td>
              <td className={`${cell} text-right`}>
                <ScoreChange deltaHundredths={changeOf(row)} compareDays={compareDays} className="text-xs lg:text-sm" />
              </td>
              <td className={`${cell} text-xs lg:text-sm`}>
                <PhoneLabel>{date.label}</PhoneLabel>
                <span className="block" data-testid={date.key === "trialEnd" ? "row-trial-end" : date.key === "since" ? "row-since" : "row-renewal"}>
                  {date.key === "trialEnd" ? (
                    <DateCell date={row.trialEndDate} today={todayDay} soon={endsWithinAWeek(row.trialEndDate, todayDay)} />
                  ) : date.key === "since" ? (
                    <DateCell date={row.firstDate} today={todayDay} />
                  ) : (
                    <DateCell date={row.renewalDate} today={todayDay} soon={renewsWithinWindow(row.renewalDate, todayDay)} />
                  )}
                </span>
              </td>
              {!showsColumn(list, showManager, "arr") ? null : (
                <td className={`${cell} text-xs tabular-nums text-slate-800 lg:text-right lg:text-sm`}>
                  <PhoneLabel>ARR</PhoneLabel>
                  {formatCurrency(row.arr)}
                </td>
              )}
              {showManager ? (
                <td className="hidden truncate px-3 py-2.5 text-slate-700 lg:table-cell" title={row.accountManager ?? undefined}>
                  {row.accountManager ?? <span className="text-slate-400">Unassigned</span>}
                </td>
              ) : null}
              <td className={`${cell} text-xs lg:text-sm`}>
                <PhoneLabel>Last contact</PhoneLabel>
                <span className="block" data-testid="row-last-contact">
                  <LastContactCell row={row} today={todayDay} />
                </span>
              </td>
              {actions ? (
                <td className="col-span-3 mt-1 block lg:mt-0 lg:table-cell lg:px-2 lg:py-2.5">
                  <ActionButtons row={row} actions={actions} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
