import { eventTypeKey } from "./event-types";

/**
 * Which event type an incoming event name means — the one rule every ingestion path uses
 * (Segment /v1, the native /api/v1/events, the CSV CLI and the import page, all through
 * lib/ingestion/server/writer.ts; the import page's preview asks it too).
 *
 * Names are compared the way people write them: by the name's key (lower case, words joined
 * by "_": eventTypeKey), so case, spaces, underscores, hyphens and punctuation never matter.
 * In order:
 *  1. a type whose key is the name's key ("report_created", "Report Created");
 *  2. a name an admin mapped to a type (an alias);
 *  3. a type whose label is the name ("Webinar registration" for webinar_registered);
 *  4. a type whose key or label is the name with its words run together or split apart
 *     ("Sign up" / "signup");
 *  5. otherwise, a name that nearly matches types — two types at step 3 or 4, a plural or
 *     another form of the same words ("Webinar registrations"), a slip of one letter
 *     ("Reprot created") — is held: registered as a type of its own, at weight 0, and shown
 *     to admins with "did you mean …" to map it (its counts move) or keep it;
 *  6. anything else is a new event type, at weight 0.
 */
export interface CatalogType {
  id: number;
  key: string;
  label: string;
  /** Held types (step 5) take their own name's events but are never suggested. */
  held: boolean;
}

export interface CatalogAlias {
  nameKey: string;
  typeId: number;
}

export type NameMatch =
  | { kind: "type"; typeId: number; by: "key" | "alias" | "label" | "spacing" }
  | { kind: "held"; key: string; candidates: number[] }
  | { kind: "new"; key: string }
  | { kind: "invalid" };

export interface EventTypeCatalog {
  types: Map<number, CatalogType>;
  byKey: Map<string, number>;
  byAlias: Map<string, number>;
  byLabel: Map<string, number[]>;
  byCompact: Map<string, number[]>;
  /** Candidates for step 5: each type's forms (key and label) as compact and stemmed strings, and their numbers. */
  forms: { typeId: number; compact: string; stemmed: string; numbers: string }[];
}

/** The rule, as the weights page shows it to admins (one sentence per step). */
export const EVENT_NAME_RULE: readonly string[] = [
  "An event's name is compared without regard to case, spaces, underscores, hyphens or punctuation: “Report Created”, “report_created” and “report-created” are one name.",
  "It counts for the event type whose key is that name, or that an admin mapped the name to, or whose label it is (“Webinar registration” counts for webinar_registered).",
  "Words run together or split apart still match (“Sign up” and “signup”).",
  "A name that nearly matches — another form of the same words (“Webinar registrations”), a slip of a letter or two (never a different number: “Step 2” is not “Step 1”), or the label of two types — waits here, at weight 0, for you to map it to a type (its events then count for that type) or to keep it as a type of its own.",
  "Any other name becomes a new event type with weight 0.",
];

const compact = (key: string) => key.replace(/_/g, "");
/** The numbers in a name, in order: "Step 2 completed" and "Step 3 completed" are different events, not a slip. */
const numbersOf = (key: string) => (key.match(/\p{N}+/gu) ?? []).join(",");

/** A rough English stem, so "registrations", "registration" and "Registered" can be told to be near. */
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss")) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed")) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

const stemmed = (key: string) => key.split("_").map(stem).join("");

/** Edit distance with adjacent transpositions (optimal string alignment), stopping once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    current[0] = i;
    let best = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current[j] = value;
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** How many slips a name of this (compact) length may have and still be "near". */
function slipsAllowed(length: number): number {
  return length >= 12 ? 2 : length >= 5 ? 1 : 0;
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const ids = map.get(key);
  if (!ids) map.set(key, [id]);
  else if (!ids.includes(id)) ids.push(id);
}

export function buildEventTypeCatalog(types: readonly CatalogType[], aliases: readonly CatalogAlias[] = []): EventTypeCatalog {
  const catalog: EventTypeCatalog = { types: new Map(), byKey: new Map(), byAlias: new Map(), byLabel: new Map(), byCompact: new Map(), forms: [] };
  for (const type of types) {
    catalog.types.set(type.id, type);
    // Keys are stored as names' keys; one an admin typed otherwise is read as its key too.
    const key = eventTypeKey(type.key) ?? type.key;
    catalog.byKey.set(key, type.id);
    push(catalog.byCompact, compact(key), type.id);
    const labelKey = eventTypeKey(type.label);
    if (labelKey) {
      push(catalog.byLabel, labelKey, type.id);
      push(catalog.byCompact, compact(labelKey), type.id);
    }
    if (!type.held) {
      for (const form of new Set([key, ...(labelKey ? [labelKey] : [])])) catalog.forms.push({ typeId: type.id, compact: compact(form), stemmed: stemmed(form), numbers: numbersOf(form) });
    }
  }
  for (const alias of aliases) {
    if (!catalog.types.has(alias.typeId)) continue;
    catalog.byAlias.set(alias.nameKey, alias.typeId);
    push(catalog.byCompact, compact(alias.nameKey), alias.typeId);
  }
  return catalog;
}

/** Which type an event name (as sent, or already as its key) counts for: see the rule above. */
export function matchEventName(catalog: EventTypeCatalog, name: string): NameMatch {
  const key = eventTypeKey(name);
  if (!key) return { kind: "invalid" };
  const byKey = catalog.byKey.get(key);
  if (byKey !== undefined) return { kind: "type", typeId: byKey, by: "key" };
  const byAlias = catalog.byAlias.get(key);
  if (byAlias !== undefined) return { kind: "type", typeId: byAlias, by: "alias" };
  const byLabel = catalog.byLabel.get(key) ?? [];
  if (byLabel.length === 1 && byLabel[0] !== undefined) return { kind: "type", typeId: byLabel[0], by: "label" };
  if (byLabel.length > 1) return { kind: "held", key, candidates: sortedCandidates(catalog, byLabel) };
  const name0 = compact(key);
  const bySpacing = catalog.byCompact.get(name0) ?? [];
  if (bySpacing.length === 1 && bySpacing[0] !== undefined) return { kind: "type", typeId: bySpacing[0], by: "spacing" };
  if (bySpacing.length > 1) return { kind: "held", key, candidates: sortedCandidates(catalog, bySpacing) };

  const stem0 = stemmed(key);
  const numbers0 = numbersOf(key);
  const limit = slipsAllowed(name0.length);
  const near = new Map<number, number>();
  for (const form of catalog.forms) {
    if (form.numbers !== numbers0) continue;
    const distance = form.stemmed === stem0 ? 0 : limit > 0 ? editDistance(name0, form.compact, limit) : limit + 1;
    if (distance <= limit) near.set(form.typeId, Math.min(distance, near.get(form.typeId) ?? Infinity));
  }
  if (near.size > 0) {
    const candidates = [...near.entries()].sort((a, b) => a[1] - b[1] || labelOrder(catalog, a[0], b[0])).map(([id]) => id);
    return { kind: "held", key, candidates };
  }
  return { kind: "new", key };
}

function labelOrder(catalog: EventTypeCatalog, a: number, b: number): number {
  return (catalog.types.get(a)?.label ?? "").localeCompare(catalog.types.get(b)?.label ?? "");
}

function sortedCandidates(catalog: EventTypeCatalog, ids: readonly number[]): number[] {
  return ids.filter((id) => catalog.types.get(id)?.held === false).sort((a, b) => labelOrder(catalog, a, b));
}

/**
 * "Did you mean …" for a held type: the types its name nearly matches, leaving the held type
 * itself (and other held types) out.
 */
export function suggestionsFor(catalog: EventTypeCatalog, heldKey: string): number[] {
  const others = buildEventTypeCatalog(
    [...catalog.types.values()].filter((t) => t.key !== heldKey),
    [...catalog.byAlias.entries()].map(([nameKey, typeId]) => ({ nameKey, typeId })),
  );
  const match = matchEventName(others, heldKey);
  if (match.kind === "held") return match.candidates;
  if (match.kind === "type" && others.types.get(match.typeId)?.held === false) return [match.typeId];
  return [];
}
