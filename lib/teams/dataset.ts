import { BANDS, type Band, type BandThresholds } from "../scoring/bands";
import type { DeclineRule } from "../scoring/decline";
import { saturateInt32 } from "../scoring/history";
import { NOT_SET_KEY, signupMonthKey, signupQuarterKey, type Dimension } from "./dimensions";

/**
 * Everything the team views aggregate, held in memory as flat typed arrays: one slot per
 * scored account, and each account's daily score history (integer hundredths) in one
 * account-major Int32Array. At 50,000 accounts × 365 days that is 73 MB; every segment,
 * trend and before/after figure is a pass over these arrays, never over SQL rows.
 */
export interface TeamsDataset {
  /** Bumped on every change, so results derived from the dataset can be cached by it. */
  version: number;
  /**
   * Bumped only when something other than today's figures changes: an account added, its
   * attributes, tags or signup, or a closed day of its history (the days before the as-of
   * day). Ingestion during the day moves only today's scores, so the results that depend on
   * the closed days and on who belongs to which segment (the long part of every series) can
   * be cached by this one and survive it (lib/teams/server/dataset-cache.ts).
   */
  closedVersion: number;
  asOfDay: number;
  /** First day of the history window and its length (asOfDay = startDay + days − 1). */
  startDay: number;
  days: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
  /** Number of accounts (slots in use). */
  count: number;
  ids: Int32Array;
  indexById: Map<number, number>;
  /** count × days daily scores in hundredths, account-major. */
  history: Int32Array;
  /**
   * The days [firstDay, endDay) (offsets from startDay) on which the account existed and has
   * a stored score: from its signup (or the start of the history) to the end of its history.
   */
  firstDay: Int32Array;
  endDay: Int32Array;
  /** Signup day, or NO_SIGNUP when unknown. */
  signupDay: Int32Array;
  current: Int32Array;
  previous: Int32Array;
  /** 1 when the account existed on the comparison day (it has a previous score: lib/scoring/standing.ts). */
  hasPast: Uint8Array;
  /** 1 when the account is not active yet (onboarding, outside the bands' counts: lib/scoring/standing.ts). */
  notActiveYet: Uint8Array;
  /** Index into BANDS of the stored current band. */
  band: Uint8Array;
  declining: Uint8Array;
  attributes: Record<AttributeKey, AttributeColumn>;
  tags: (readonly string[] | null)[];
}

export const NO_SIGNUP = -2_147_483_648;

export const ATTRIBUTE_KEYS = ["plan", "region", "industry", "account_manager", "stage"] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];

/** A text attribute, dictionary-encoded: codes[i] indexes values (−1 = not set). */
export interface AttributeColumn {
  codes: Int32Array;
  values: string[];
  codeByValue: Map<string, number>;
}

/** One account as read from the database, to write into a slot. */
export interface AccountRecord {
  id: number;
  plan: string | null;
  region: string | null;
  industry: string | null;
  accountManager: string | null;
  stage: string;
  signupDate: string | null;
  signupDay: number | null;
  /** The account's first known day (lib/scoring/standing.ts), or null when not known. */
  firstKnownDay: number | null;
  currentHundredths: number;
  previousHundredths: number;
  hasPast: boolean;
  notActiveYet: boolean;
  band: Band;
  declining: boolean;
  tags: readonly string[];
  /**
   * Daily history (hundredths) starting at `historyStartDay`, or null when none is stored. When
   * it ends the day before the as-of day (as stored: lib/scoring/history.ts), the current score
   * is the as-of day's.
   */
  history: Int32Array | null;
  historyStartDay: number;
}

export interface DatasetShape {
  asOfDay: number;
  days: number;
  capacity: number;
  thresholds: BandThresholds;
  decline: DeclineRule;
}

export function createDataset(shape: DatasetShape): TeamsDataset {
  const n = shape.capacity;
  const column = (): AttributeColumn => ({ codes: new Int32Array(n).fill(-1), values: [], codeByValue: new Map() });
  return {
    version: 1,
    closedVersion: 1,
    asOfDay: shape.asOfDay,
    startDay: shape.asOfDay - shape.days + 1,
    days: shape.days,
    thresholds: shape.thresholds,
    decline: shape.decline,
    count: 0,
    ids: new Int32Array(n),
    indexById: new Map(),
    history: new Int32Array(n * shape.days),
    firstDay: new Int32Array(n),
    endDay: new Int32Array(n),
    signupDay: new Int32Array(n).fill(NO_SIGNUP),
    current: new Int32Array(n),
    previous: new Int32Array(n),
    hasPast: new Uint8Array(n),
    notActiveYet: new Uint8Array(n),
    band: new Uint8Array(n),
    declining: new Uint8Array(n),
    attributes: {
      plan: column(),
      region: column(),
      industry: column(),
      account_manager: column(),
      stage: column(),
    },
    tags: new Array<readonly string[] | null>(n).fill(null),
  };
}

function encode(column: AttributeColumn, value: string | null): number {
  if (value === null || value === "") return -1;
  let code = column.codeByValue.get(value);
  if (code === undefined) {
    code = column.values.length;
    column.values.push(value);
    column.codeByValue.set(value, code);
  }
  return code;
}

/** What of an account's slot lies outside today's figures (see TeamsDataset.closedVersion). */
interface ClosedPart {
  codes: number[];
  tags: readonly string[] | null;
  signupDay: number;
  firstDay: number;
  endDay: number;
  closedDays: Int32Array;
}

function closedPartOf(ds: TeamsDataset, index: number): ClosedPart {
  const row = index * ds.days;
  return {
    codes: ATTRIBUTE_KEYS.map((key) => ds.attributes[key].codes[index] ?? -1),
    tags: ds.tags[index] ?? null,
    signupDay: ds.signupDay[index] ?? NO_SIGNUP,
    firstDay: ds.firstDay[index] ?? 0,
    endDay: ds.endDay[index] ?? 0,
    // A copy: the slot is overwritten next.
    closedDays: ds.history.slice(row, row + ds.days - 1),
  };
}

function sameTags(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}

/** Whether the slot's ClosedPart still equals `before`, read in place (no second copy of its history). */
function closedPartUnchanged(ds: TeamsDataset, index: number, before: ClosedPart): boolean {
  if ((ds.signupDay[index] ?? NO_SIGNUP) !== before.signupDay || (ds.firstDay[index] ?? 0) !== before.firstDay || (ds.endDay[index] ?? 0) !== before.endDay) return false;
  if (ATTRIBUTE_KEYS.some((key, i) => (ds.attributes[key].codes[index] ?? -1) !== before.codes[i]) || !sameTags(ds.tags[index] ?? null, before.tags)) return false;
  const row = index * ds.days;
  const closed = before.closedDays;
  for (let d = 0; d < closed.length; d++) if (ds.history[row + d] !== closed[d]) return false;
  return true;
}

/**
 * Writes an account into a slot: a new one at the end (append) or its existing slot. Returns
 * whether more than today's figures changed (a new account, or anything in its ClosedPart):
 * the caller then bumps closedVersion.
 */
export function writeAccount(ds: TeamsDataset, record: AccountRecord): boolean {
  let index = ds.indexById.get(record.id);
  const before = index === undefined ? null : closedPartOf(ds, index);
  if (index === undefined) {
    if (ds.count >= ds.ids.length) throw new RangeError("dataset is full");
    index = ds.count++;
    ds.ids[index] = record.id;
    ds.indexById.set(record.id, index);
  }
  fillSlot(ds, index, record);
  return before === null || !closedPartUnchanged(ds, index, before);
}

function fillSlot(ds: TeamsDataset, index: number, record: AccountRecord): void {
  const { days, startDay } = ds;
  ds.attributes.plan.codes[index] = encode(ds.attributes.plan, record.plan);
  ds.attributes.region.codes[index] = encode(ds.attributes.region, record.region);
  ds.attributes.industry.codes[index] = encode(ds.attributes.industry, record.industry);
  ds.attributes.account_manager.codes[index] = encode(ds.attributes.account_manager, record.accountManager);
  ds.attributes.stage.codes[index] = encode(ds.attributes.stage, record.stage);
  ds.tags[index] = record.tags.length > 0 ? record.tags : null;
  ds.signupDay[index] = record.signupDay ?? NO_SIGNUP;
  ds.current[index] = record.currentHundredths;
  ds.previous[index] = record.previousHundredths;
  ds.hasPast[index] = record.hasPast ? 1 : 0;
  ds.notActiveYet[index] = record.notActiveYet ? 1 : 0;
  ds.band[index] = BANDS.indexOf(record.band);
  ds.declining[index] = record.declining ? 1 : 0;

  const row = index * days;
  ds.history.fill(0, row, row + days);
  let first = days;
  let end = days;
  if (record.history) {
    const offset = record.historyStartDay - startDay;
    const from = Math.max(0, offset);
    const to = Math.min(days, offset + record.history.length);
    if (to > from) {
      ds.history.set(record.history.subarray(from - offset, to - offset), row + from);
      first = from;
      end = to;
    }
    // A stored history holds the closed days; the scores' day is the current score (lib/scoring/history.ts).
    if (offset + record.history.length === days - 1) {
      ds.history[row + days - 1] = saturateInt32(record.currentHundredths);
      first = Math.min(first, days - 1);
      end = days;
    }
  }
  // Before its first day (its signup, first record or first event) an account did not exist: its zeros there are not scores.
  const began = record.firstKnownDay ?? record.signupDay;
  if (began !== null) first = Math.max(first, Math.min(days, began - startDay));
  ds.firstDay[index] = Math.min(first, end);
  ds.endDay[index] = end;
}

export interface Segment {
  key: string;
  members: Int32Array;
}

/** Splits the accounts into the segments of a dimension (account indexes per segment key). */
export function segmentMembers(ds: TeamsDataset, dimension: Dimension): Map<string, Int32Array> {
  const lists = new Map<string, number[]>();
  const add = (key: string, index: number) => {
    let list = lists.get(key);
    if (!list) lists.set(key, (list = []));
    list.push(index);
  };
  if (dimension === "tag") {
    for (let i = 0; i < ds.count; i++) {
      const tags = ds.tags[i];
      if (!tags) add(NOT_SET_KEY, i);
      else for (const tag of tags) add(tag, i);
    }
  } else if (dimension === "signup_month" || dimension === "signup_quarter") {
    const cache = new Map<number, string>();
    for (let i = 0; i < ds.count; i++) {
      const day = ds.signupDay[i] ?? NO_SIGNUP;
      let key = cache.get(day);
      if (key === undefined) {
        const iso = day === NO_SIGNUP ? null : new Date(day * 86_400_000).toISOString().slice(0, 10);
        key = (dimension === "signup_month" ? signupMonthKey(iso) : signupQuarterKey(iso)) ?? NOT_SET_KEY;
        cache.set(day, key);
      }
      add(key, i);
    }
  } else {
    const column = ds.attributes[dimension];
    for (let i = 0; i < ds.count; i++) {
      const code = column.codes[i] ?? -1;
      add(code < 0 ? NOT_SET_KEY : (column.values[code] ?? NOT_SET_KEY), i);
    }
  }
  return new Map([...lists].map(([key, list]) => [key, Int32Array.from(list)]));
}

/** Every account, as one segment. */
export function allMembers(ds: TeamsDataset): Int32Array {
  const out = new Int32Array(ds.count);
  for (let i = 0; i < ds.count; i++) out[i] = i;
  return out;
}
