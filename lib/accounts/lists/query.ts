import { z } from "zod";
import type { LifecycleStage } from "@/db/schema";
import { BANDS, TIER_BANDS, tierFor, type Band } from "@/lib/scoring/bands";
import { CALL_LISTS, isTierList, STAGES, type CallListId } from "./lists";

/**
 * The state of the call-list page, exactly as the URL carries it, so a list can be shared:
 * /accounts?list=medium&manager=Ben%20Okafor&sort=arr&dir=desc&page=2
 * The page, the API and the CSV export all read it through `parseCallListQuery`.
 */
export const SORT_KEYS = ["name", "score", "change", "renewal", "trialEnd", "arr", "manager", "lastContact"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/** `manager=all` lists every book; no `manager` means "my accounts" (or everyone without a book). */
export const ALL_MANAGERS = "all";

export const DEFAULT_LIST: CallListId = "medium";

export interface CallListQuery {
  list: CallListId;
  /** Only this band (e.g. from the overview's band links); null for the whole list. */
  band: Band | null;
  /** 40–80 list only: just the renewals within the renewal window (true) or the whole tier. */
  renewalsOnly: boolean;
  /** null = my accounts (the default), ALL_MANAGERS = everyone, otherwise one manager's book. */
  manager: string | null;
  plan: string | null;
  region: string | null;
  industry: string | null;
  stage: LifecycleStage | null;
  /** Text searched for in account names (case-insensitive); "" for none. */
  q: string;
  /** Show snoozed accounts too (hidden by default). */
  showSnoozed: boolean;
  /** A column the user sorted by; null for the list's recommended order. */
  sort: SortKey | null;
  dir: SortDir;
  page: number;
  pageSize: PageSize;
}

/** The filters shared by every list (what the list tabs count under). */
export type CallListFilterQuery = Pick<CallListQuery, "manager" | "plan" | "region" | "industry" | "stage" | "q" | "showSnoozed">;

/** Which way a column sorts on first click: the direction an account manager wants first. */
export function defaultSortDir(key: SortKey): SortDir {
  switch (key) {
    case "score":
    case "arr":
      return "desc";
    case "change": // biggest fall first
    case "name":
    case "manager":
    case "renewal":
    case "trialEnd":
    case "lastContact": // longest without contact (or never contacted) first
      return "asc";
  }
}

const text = z.string().trim().min(1).max(200);

const fields = {
  list: z.enum(CALL_LISTS),
  band: z.enum(BANDS),
  scope: z.enum(["renewals", "all"]),
  manager: text,
  plan: text,
  region: text,
  industry: text,
  stage: z.enum(STAGES as [LifecycleStage, ...LifecycleStage[]]),
  q: z.string().trim().max(100),
  snoozed: z.enum(["0", "1"]),
  sort: z.enum(SORT_KEYS),
  dir: z.enum(["asc", "desc"]),
  page: z.coerce.number().int().min(1).max(1_000_000),
  size: z.coerce
    .number()
    .int()
    .refine((n): n is PageSize => (PAGE_SIZES as readonly number[]).includes(n), { message: `must be one of ${PAGE_SIZES.join(", ")}` }),
} as const;

type FieldName = keyof typeof fields;
const FIELD_NAMES = Object.keys(fields) as FieldName[];

export type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

export type ParseResult = { ok: true; query: CallListQuery } | { ok: false; field: string; message: string };

function read(input: SearchInput, name: string): string | undefined {
  if (input instanceof URLSearchParams) return input.get(name) ?? undefined;
  const value = input[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the list state from URL search parameters. `strict` (the API) rejects the first
 * invalid field by name; `lenient` (pages, where a hand-edited link must still open) ignores
 * invalid values and falls back to their defaults.
 */
export function parseCallListQuery(input: SearchInput, mode: "strict" | "lenient"): ParseResult {
  const values: Partial<{ [K in FieldName]: z.infer<(typeof fields)[K]> }> = {};
  for (const name of FIELD_NAMES) {
    const raw = read(input, name);
    if (raw === undefined || raw === "") continue;
    const parsed = fields[name].safeParse(raw);
    if (parsed.success) {
      (values as Record<string, unknown>)[name] = parsed.data;
    } else if (mode === "strict") {
      return { ok: false, field: name, message: `${name}: ${parsed.error.issues[0]?.message ?? "invalid value"}` };
    }
  }

  const band = values.band ?? null;
  // A band alone (the overview's links) opens the tier list that holds it.
  const list = values.list ?? (band ? tierFor(band) : DEFAULT_LIST);
  if (band && isTierList(list) && !TIER_BANDS[list].includes(band)) {
    if (mode === "strict") return { ok: false, field: "band", message: `band: ${band} is not on the ${list} list` };
  }
  const bandInList = band && (!isTierList(list) || TIER_BANDS[list].includes(band)) ? band : null;
  const sort = values.sort ?? null;

  return {
    ok: true,
    query: {
      list,
      band: bandInList,
      renewalsOnly: list === "medium" && (values.scope ?? defaultScope(bandInList)) === "renewals",
      manager: values.manager ?? null,
      plan: values.plan ?? null,
      region: values.region ?? null,
      industry: values.industry ?? null,
      stage: values.stage ?? null,
      q: values.q ?? "",
      showSnoozed: values.snoozed === "1",
      sort,
      dir: values.dir ?? (sort ? defaultSortDir(sort) : "asc"),
      page: values.page ?? 1,
      pageSize: values.size ?? DEFAULT_PAGE_SIZE,
    },
  };
}

/**
 * The 40–80 list opens on the renewals due soon; opened for one band (from the overview's
 * band counts) it shows the whole band, so the count matches the link that led there.
 */
function defaultScope(band: Band | null): "renewals" | "all" {
  return band === null ? "renewals" : "all";
}

/** The same state as URL search parameters, leaving out defaults so links stay short. */
export function callListSearchParams(query: CallListQuery): URLSearchParams {
  const p = new URLSearchParams();
  // Without `list`, the parser opens the band's tier (or the default list).
  if (query.list !== (query.band ? tierFor(query.band) : DEFAULT_LIST)) p.set("list", query.list);
  if (query.band) p.set("band", query.band);
  if (query.list === "medium") {
    const scope = query.renewalsOnly ? "renewals" : "all";
    if (scope !== defaultScope(query.band)) p.set("scope", scope);
  }
  writeFilters(p, query);
  if (query.sort) {
    p.set("sort", query.sort);
    if (query.dir !== defaultSortDir(query.sort)) p.set("dir", query.dir);
  }
  if (query.page !== 1) p.set("page", String(query.page));
  if (query.pageSize !== DEFAULT_PAGE_SIZE) p.set("size", String(query.pageSize));
  return p;
}

function writeFilters(p: URLSearchParams, filters: CallListFilterQuery): void {
  if (filters.manager) p.set("manager", filters.manager);
  if (filters.plan) p.set("plan", filters.plan);
  if (filters.region) p.set("region", filters.region);
  if (filters.industry) p.set("industry", filters.industry);
  if (filters.stage) p.set("stage", filters.stage);
  if (filters.q) p.set("q", filters.q);
  if (filters.showSnoozed) p.set("snoozed", "1");
}

/** The shared filters alone as a URL query ("?manager=…&q=…" or ""), e.g. for the list counts. */
export function callListFilterSearch(filters: CallListFilterQuery): string {
  const p = new URLSearchParams();
  writeFilters(p, filters);
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** "?list=low&q=north" or "" — for links and fetches. */
export function callListSearch(query: CallListQuery): string {
  const s = callListSearchParams(query).toString();
  return s ? `?${s}` : "";
}

export function filterQuery(query: CallListQuery): CallListFilterQuery {
  const { manager, plan, region, industry, stage, q, showSnoozed } = query;
  return { manager, plan, region, industry, stage, q, showSnoozed };
}

/** "My accounts" is the user's book; a user without a book sees everyone's. The book shown, or null for everyone's. */
export function resolveManager(manager: string | null, userBook: string | null): string | null {
  if (manager === null) return userBook;
  if (manager === ALL_MANAGERS) return null;
  return manager;
}

export type FilterName = "manager" | "plan" | "region" | "industry" | "stage" | "q" | "band";

/**
 * The filters that narrow the list beyond its default. A chosen manager's book narrows it;
 * "my accounts" is the default and "all managers" widens it, so neither counts.
 */
export function activeFilters(query: CallListFilterQuery & { band?: Band | null }): FilterName[] {
  const set: Record<FilterName, boolean> = {
    manager: query.manager !== null && query.manager !== ALL_MANAGERS,
    plan: query.plan !== null,
    region: query.region !== null,
    industry: query.industry !== null,
    stage: query.stage !== null,
    q: query.q !== "",
    band: (query.band ?? null) !== null,
  };
  return (Object.keys(set) as FilterName[]).filter((name) => set[name]);
}

/** How many filters narrow the list (the "Clear filters" link, the empty list's advice). */
export function activeFilterCount(query: CallListQuery): number {
  return activeFilters(query).length;
}

/** The lenient parse, which always yields a state (invalid values fall back to defaults). */
export function readCallListQuery(input: SearchInput): CallListQuery {
  const result = parseCallListQuery(input, "lenient");
  if (!result.ok) throw new Error(`lenient parsing failed on ${result.field}`);
  return result.query;
}

/** The state after switching to another list: its recommended order, first page, same filters. */
export function switchList(query: CallListQuery, list: CallListId): CallListQuery {
  return { ...query, list, band: null, renewalsOnly: list === "medium", sort: null, dir: "asc", page: 1 };
}

/**
 * Whose accounts the list counts cover, in words: "my accounts (Ann Ames)", "all accounts",
 * "Ben Bell's accounts", and how many further filters narrow them (snoozed accounts are
 * left out unless shown).
 */
export function countScope(filters: CallListFilterQuery, userBook: string | null): string {
  const book = resolveManager(filters.manager, userBook);
  const whose = book === null ? "all accounts" : filters.manager === null ? `my accounts (${book})` : `${book}’s accounts`;
  const narrowing = activeFilters(filters).filter((name) => name !== "manager").length;
  const filtersText = narrowing === 0 ? "" : `, ${narrowing} ${narrowing === 1 ? "filter" : "filters"}`;
  return `${whose}${filtersText}${filters.showSnoozed ? ", snoozed included" : ", snoozed left out"}`;
}

/**
 * The list an overview figure counts, for everyone and with snoozed accounts shown: the
 * overview counts every account, so the list it links to must too ("every count equals the
 * list it links to").
 */
export function everyoneListHref(list: CallListId, band: Band | null = null): string {
  const query: CallListQuery = {
    ...readCallListQuery({}),
    list,
    band,
    renewalsOnly: false,
    manager: ALL_MANAGERS,
    showSnoozed: true,
  };
  return `/accounts${callListSearch(query)}`;
}
