import type { CallListId } from "./lists";
import type { SortKey } from "./query";

/**
 * The columns each list shows, in order: the one statement the table's headers and cells,
 * the phone cards and the phone sort menu all read.
 */
export type ColumnKey = "name" | "score" | "band" | "change" | "renewal" | "trialEnd" | "since" | "arr" | "manager" | "lastContact";

export interface ListColumn {
  key: ColumnKey;
  label: string;
  /** The sort key of a sortable column. */
  sort?: SortKey;
}

/** The date a list is worked by: a trial's end, an onboarding account's first day, otherwise the renewal. */
export function dateColumn(list: CallListId): ListColumn & { key: "renewal" | "trialEnd" | "since" } {
  switch (list) {
    case "trials":
      return { key: "trialEnd", label: "Trial ends", sort: "trialEnd" };
    case "onboarding":
      return { key: "since", label: "First seen" };
    default:
      return { key: "renewal", label: "Renewal", sort: "renewal" };
  }
}

/** `showManager` is false when the list is one manager's book: the column would repeat one name. */
export function listColumns(list: CallListId, showManager: boolean): ListColumn[] {
  return [
    { key: "name", label: "Account", sort: "name" },
    { key: "score", label: "Score", sort: "score" },
    { key: "band", label: "Band" },
    { key: "change", label: "Change", sort: "change" },
    dateColumn(list),
    // Trials have no contract value yet.
    ...(list === "trials" ? [] : [{ key: "arr", label: "ARR", sort: "arr" } as const]),
    ...(showManager ? [{ key: "manager", label: "Manager", sort: "manager" } as const] : []),
    { key: "lastContact", label: "Last contact", sort: "lastContact" },
  ];
}

/** The columns a list can be sorted by, in column order. */
export function sortKeysFor(list: CallListId, showManager: boolean): SortKey[] {
  return listColumns(list, showManager).flatMap((c) => (c.sort ? [c.sort] : []));
}

export function showsColumn(list: CallListId, showManager: boolean, key: ColumnKey): boolean {
  return listColumns(list, showManager).some((c) => c.key === key);
}
