import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "@/db";
import type { Db, Dialect } from "@/db/client";
import { byteOrder, caseless, inList } from "@/db/dialect";
import type { Column, Columns } from "@/db/rows";
import type * as schema from "@/db/schema";
import { isoDateFromDay, todayDay, type DayNumber } from "@/lib/days";
import { builtInConfig, diffConfigs, scoringConfigSchema, type ConfigChange, type ScoringConfig } from "../config";
import { compareScorings, scoreMatrix, type ChangePreview, type CountMatrix, type MatrixScoring } from "../preview";
import { scoreHistogram, type HistogramBin } from "@/lib/stats/histogram";
import { recordAudit, type AuditActor } from "@/lib/operations/server/audit";
import { getCountMatrix, loadCountMatrix } from "./count-matrix";
import { getScoringSettings, loadScoringSettings, type ScoringSettings } from "./settings";

/*
 * The scoring configuration: what is in force, saved versions, their history, and what an
 * edit would do. Written on the data layer (db/client.ts) with SQL that both databases run.
 * A few readers are also kept on the legacy synchronous SQLite connection, with the same SQL,
 * for callers not on the data layer yet (recompute job, seed, teams, account detail, the
 * analysis workers): configInForce, weightTableFor, previewScoringChange,
 * pendingConfigVersion, applyConfigVersion, configChangeMarkers.
 */

/** An event type as stored: flags as 0/1. */
type EventTypeDbRow = Columns<typeof schema.eventTypes, "id" | "key" | "label" | "description" | "weightHundredths" | "active" | "isNew" | "held">;

function eventTypeRowsQuery(dialect: Dialect): SQL {
  return sql`SELECT id, key, label, description, weight_hundredths AS "weightHundredths", active, is_new AS "isNew", held
    FROM event_types ORDER BY ${caseless(dialect, sql`label`)}, ${byteOrder(dialect, sql`key`)}`;
}

function eventTypeRows(db: Db): Promise<EventTypeDbRow[]> {
  return db.all<EventTypeDbRow>(eventTypeRowsQuery(db.dialect));
}

function eventTypeRowsSync(db: Database): EventTypeDbRow[] {
  return db.orm.all<EventTypeDbRow>(eventTypeRowsQuery("sqlite"));
}

function configFrom(s: ScoringSettings, rows: EventTypeDbRow[]): ScoringConfig & { version: number } {
  const types: ScoringConfig["types"] = {};
  for (const t of rows) types[t.key] = { weightHundredths: t.weightHundredths, active: t.active === 1 };
  return {
    version: s.configVersion,
    settings: { windowDays: s.windowDays, compareDays: s.compareDays, thresholds: s.thresholds, decline: s.decline },
    types,
  };
}

/** The configuration the stored scores are computed with. */
export async function loadConfigInForce(db: Db): Promise<ScoringConfig & { version: number }> {
  return configFrom(await loadScoringSettings(db), await eventTypeRows(db));
}

/** loadConfigInForce on the legacy synchronous connection. */
export function configInForce(db: Database): ScoringConfig & { version: number } {
  return configFrom(getScoringSettings(db), eventTypeRowsSync(db));
}

/** The day the stored scores are for (null: nothing scored yet). */
type AsOfDayRow = { asOfDay: Column<typeof schema.accountScores, "asOfDay"> | null };

const AS_OF_DAY_QUERY = sql`SELECT max(as_of_day) AS "asOfDay" FROM account_scores`;

/** The day the stored scores are as of (today when nothing is scored yet). */
export async function scoresAsOfDay(db: Db): Promise<DayNumber> {
  return (await db.value<AsOfDayRow["asOfDay"]>(AS_OF_DAY_QUERY)) ?? todayDay();
}

function weightsOf(rows: EventTypeDbRow[], config: ScoringConfig): Map<number, number> {
  const table = new Map<number, number>();
  for (const t of rows) {
    const c = config.types[t.key] ?? { weightHundredths: t.weightHundredths, active: t.active === 1 };
    table.set(t.id, c.active ? c.weightHundredths : 0);
  }
  return table;
}

/** Weights by type id for a configuration; types it does not mention keep the weight in force (legacy synchronous connection). */
export function weightTableFor(db: Database, config: ScoringConfig): Map<number, number> {
  return weightsOf(eventTypeRowsSync(db), config);
}

/** weightTableFor on the data layer. */
export async function loadWeightTableFor(db: Db, config: ScoringConfig): Promise<Map<number, number>> {
  return weightsOf(await eventTypeRows(db), config);
}

function matrixScoring(rows: EventTypeDbRow[], config: ScoringConfig): MatrixScoring {
  return { weights: weightsOf(rows, config), thresholds: config.settings.thresholds, decline: config.settings.decline };
}

export interface EventTypeStats {
  id: number;
  key: string;
  label: string;
  description: string;
  weightHundredths: number;
  active: boolean;
  isNew: boolean;
  /** Registered from a name that nearly matches other types: waits for an admin to map or keep it. */
  held: boolean;
  /** Events in the scoring window, all accounts. */
  volume: number;
  /** weight × volume, in hundredths. */
  pointsHundredths: number;
  /** |points| as a share of all |points| in the window, 0–1. */
  share: number;
}

/** Every event type with its volume and share of points over the current scoring window. */
export async function eventTypesWithStats(db: Db): Promise<EventTypeStats[]> {
  const settings = await loadScoringSettings(db);
  const matrix = await loadCountMatrix(db, { asOfDay: await scoresAsOfDay(db), windowDays: settings.windowDays, compareDays: settings.compareDays });
  const m = matrix.typeIds.length;
  const volumeByType = new Map<number, number>();
  matrix.typeIds.forEach((typeId, j) => {
    let v = 0;
    for (let i = 0; i < matrix.accountIds.length; i++) v += matrix.current[i * m + j] ?? 0;
    volumeByType.set(typeId, v);
  });
  const rows = (await eventTypeRows(db)).map((t) => {
    const volume = volumeByType.get(t.id) ?? 0;
    return {
      id: t.id,
      key: t.key,
      label: t.label,
      description: t.description,
      weightHundredths: t.weightHundredths,
      active: t.active === 1,
      isNew: t.isNew === 1,
      held: t.held === 1,
      volume,
      pointsHundredths: t.active === 1 ? volume * t.weightHundredths : 0,
      share: 0,
    };
  });
  const totalAbs = rows.reduce((s, r) => s + Math.abs(r.pointsHundredths), 0);
  for (const r of rows) r.share = totalAbs === 0 ? 0 : Math.abs(r.pointsHundredths) / totalAbs;
  return rows;
}

export interface ScoringPreview extends ChangePreview {
  histogramBefore: HistogramBin[];
  histogramAfter: HistogramBin[];
  biggestMovesNamed: (ChangePreview["biggestMoves"][number] & { name: string })[];
  changes: ConfigChange[];
}

interface ScoredPreview {
  preview: ChangePreview;
  before: Float64Array;
  after: Float64Array;
}

/** Both configurations scored over every account, from the in-memory count matrices. */
function scorePreview(rows: EventTypeDbRow[], current: ScoringConfig, edited: ScoringConfig, beforeMatrix: CountMatrix, afterMatrix: CountMatrix): ScoredPreview {
  const before = scoreMatrix(beforeMatrix, matrixScoring(rows, current));
  const after = scoreMatrix(afterMatrix, matrixScoring(rows, edited));
  return { preview: compareScorings(beforeMatrix.accountIds, before, after, 10), before: before.current, after: after.current };
}

type AccountNameRow = Columns<typeof schema.accounts, "id" | "name">;

function accountNamesQuery(preview: ChangePreview): SQL {
  return sql`SELECT id, name FROM accounts WHERE ${inList(
    sql`id`,
    preview.biggestMoves.map((m) => m.accountId),
  )}`;
}

function finishPreview(scored: ScoredPreview, names: AccountNameRow[], current: ScoringConfig, edited: ScoringConfig): ScoringPreview {
  const nameOf = new Map(names.map((r) => [r.id, r.name]));
  const histogram = (scores: Float64Array) => scoreHistogram(scores, { binWidth: 10, max: 150, thresholds: edited.settings.thresholds });
  return {
    ...scored.preview,
    histogramBefore: histogram(scored.before),
    histogramAfter: histogram(scored.after),
    biggestMovesNamed: scored.preview.biggestMoves.map((m) => ({ ...m, name: nameOf.get(m.accountId) ?? `#${m.accountId}` })),
    changes: diffConfigs(current, edited),
  };
}

/**
 * What an edited configuration would do to every account, against the configuration in
 * force: band moves, distributions, declining counts and the accounts that move most.
 * Runs over all accounts on the server from the in-memory count matrix.
 */
export async function loadScoringPreview(db: Db, edited: ScoringConfig): Promise<ScoringPreview> {
  const current = await loadConfigInForce(db);
  const asOfDay = await scoresAsOfDay(db);
  const beforeMatrix = await loadCountMatrix(db, { asOfDay, windowDays: current.settings.windowDays, compareDays: current.settings.compareDays });
  const afterMatrix = await loadCountMatrix(db, { asOfDay, windowDays: edited.settings.windowDays, compareDays: edited.settings.compareDays });
  const scored = scorePreview(await eventTypeRows(db), current, edited, beforeMatrix, afterMatrix);
  return finishPreview(scored, await db.all<AccountNameRow>(accountNamesQuery(scored.preview)), current, edited);
}

/** loadScoringPreview on a legacy synchronous connection (the analysis workers' read-only one). */
export function previewScoringChange(db: Database, edited: ScoringConfig): ScoringPreview {
  const current = configInForce(db);
  const asOfDay = db.orm.get<AsOfDayRow | undefined>(AS_OF_DAY_QUERY)?.asOfDay ?? todayDay();
  const beforeMatrix = getCountMatrix(db, { asOfDay, windowDays: current.settings.windowDays, compareDays: current.settings.compareDays });
  const afterMatrix = getCountMatrix(db, { asOfDay, windowDays: edited.settings.windowDays, compareDays: edited.settings.compareDays });
  const scored = scorePreview(eventTypeRowsSync(db), current, edited, beforeMatrix, afterMatrix);
  return finishPreview(scored, db.orm.all<AccountNameRow>(accountNamesQuery(scored.preview)), current, edited);
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Parses a configuration from a request, naming the first invalid field. */
export function parseScoringConfig(input: unknown): ScoringConfig {
  const parsed = scoringConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue?.message ?? "Invalid configuration", issue?.path.join("."));
  }
  return parsed.data;
}

function assertKnownTypes(rows: EventTypeDbRow[], config: ScoringConfig): void {
  const known = new Set(rows.map((t) => t.key));
  for (const key of Object.keys(config.types)) {
    if (!known.has(key)) throw new ConfigError(`Unknown event type "${key}"`, `types.${key}`);
  }
}

/** A saved version as stored: the configuration as JSON text. */
type VersionRow = Columns<typeof schema.configVersions, "id" | "snapshot">;

function pendingQuery(inForce: number): SQL {
  return sql`SELECT id, snapshot FROM config_versions WHERE id > ${inForce} ORDER BY id DESC LIMIT 1`;
}

function toPending(row: VersionRow | undefined): { id: number; config: ScoringConfig } | null {
  return row ? { id: row.id, config: parseScoringConfig(JSON.parse(row.snapshot)) } : null;
}

/** The newest saved version that is not yet applied to the scores, if any. */
export async function loadPendingConfigVersion(db: Db): Promise<{ id: number; config: ScoringConfig } | null> {
  const inForce = (await loadScoringSettings(db)).configVersion;
  return toPending(await db.get<VersionRow>(pendingQuery(inForce)));
}

/** loadPendingConfigVersion on the legacy synchronous connection. */
export function pendingConfigVersion(db: Database): { id: number; config: ScoringConfig } | null {
  return toPending(db.orm.get<VersionRow | undefined>(pendingQuery(getScoringSettings(db).configVersion)));
}

/**
 * Saves a configuration as a new version (who, when, why, what changed), with its audit entry
 * in the same transaction. It is applied to the scores by the recompute job; until then
 * readers keep the scores of the version in force.
 */
export async function saveConfigVersion(db: Db, actor: AuditActor, config: ScoringConfig, reason: string, action = "scoring.save"): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await eventTypeRows(tx);
    assertKnownTypes(rows, config);
    const changes = diffConfigs(configFrom(await loadScoringSettings(tx), rows), config);
    if (changes.length === 0) throw new ConfigError("Nothing to save: the configuration is the same as the one in force.", undefined, 409);
    const id = await tx.value<Column<typeof schema.configVersions, "id">>(
      sql`INSERT INTO config_versions (created_by, reason, snapshot) VALUES (${actor.name}, ${reason.trim()}, ${JSON.stringify(config)}) RETURNING id`,
    );
    if (id === undefined) throw new Error("saving a configuration version returned no id");
    await recordAudit(tx, actor, { action, target: `config_version:${id}`, details: { reason: reason.trim(), changes } });
    return id;
  });
}

/** Restoring an old version saves its configuration again, as a new version. */
export async function restoreConfigVersion(db: Db, actor: AuditActor, versionId: number): Promise<number> {
  const snapshot = await db.value<Column<typeof schema.configVersions, "snapshot">>(sql`SELECT snapshot FROM config_versions WHERE id = ${versionId}`);
  if (snapshot === undefined) throw new ConfigError(`There is no configuration version ${versionId}.`, "id", 404);
  const config = parseScoringConfig(JSON.parse(snapshot));
  // Types that did not exist then keep their current weight; types deleted since are left out.
  const current = await loadConfigInForce(db);
  const types = { ...current.types };
  for (const [key, t] of Object.entries(config.types)) if (key in current.types) types[key] = t;
  const merged: ScoringConfig = { settings: config.settings, types };
  return saveConfigVersion(db, actor, merged, `Restore of version ${versionId}`, "scoring.restore");
}

/** The statements that make a version's configuration the one in force (both databases). */
function applyConfigStatements(versionId: number, config: ScoringConfig): SQL[] {
  const statements = Object.entries(config.types).map(
    ([key, t]) =>
      sql`UPDATE event_types SET weight_hundredths = ${t.weightHundredths}, active = ${t.active ? 1 : 0},
        is_new = CASE WHEN ${t.weightHundredths} <> weight_hundredths THEN 0 ELSE is_new END WHERE key = ${key}`,
  );
  const s = config.settings;
  statements.push(
    sql`UPDATE scoring_settings SET window_days = ${s.windowDays}, compare_days = ${s.compareDays}, churn_risk_max = ${s.thresholds.churnRiskMax},
      medium_from = ${s.thresholds.mediumFrom}, high_from = ${s.thresholds.highFrom}, power_above = ${s.thresholds.powerAbove},
      decline_percent = ${s.decline.declinePercent}, decline_points = ${s.decline.declinePoints}, config_version = ${versionId} WHERE id = 1`,
  );
  return statements;
}

/**
 * Makes a version's configuration the one in force; call inside the transaction that writes
 * its scores (the recompute job's legacy synchronous SQLite path).
 */
export function applyConfigVersion(db: Database, versionId: number, config: ScoringConfig): void {
  for (const statement of applyConfigStatements(versionId, config)) db.orm.run(statement);
}

/** applyConfigVersion on the data layer, inside the transaction that writes the version's scores. */
export async function applyConfigVersionOn(tx: Db, versionId: number, config: ScoringConfig): Promise<void> {
  for (const statement of applyConfigStatements(versionId, config)) await tx.run(statement);
}

export interface ConfigVersionView {
  id: number;
  createdAt: string;
  createdBy: string;
  reason: string;
  changes: ConfigChange[];
  status: "in_force" | "pending" | "superseded";
}

/** A saved version as stored: times in ms, the configuration as JSON text. */
type VersionListRow = Columns<typeof schema.configVersions, "id" | "createdBy" | "reason" | "createdAt" | "snapshot">;

/**
 * Every version, newest first, each with what it changed against the version before it; the
 * first one against the built-in defaults it replaced (default settings, every weight 0).
 */
export async function listConfigVersions(db: Db): Promise<ConfigVersionView[]> {
  const inForce = (await loadScoringSettings(db)).configVersion;
  const rows = await db.all<VersionListRow>(
    sql`SELECT id, created_at AS "createdAt", created_by AS "createdBy", reason, snapshot FROM config_versions ORDER BY id`,
  );
  let previous: ScoringConfig | null = null;
  const views: ConfigVersionView[] = [];
  for (const row of rows) {
    const config = parseScoringConfig(JSON.parse(row.snapshot));
    previous ??= builtInConfig(Object.keys(config.types));
    views.push({
      id: row.id,
      createdAt: new Date(row.createdAt).toISOString(),
      createdBy: row.createdBy,
      reason: row.reason,
      changes: diffConfigs(previous, config),
      status: row.id === inForce ? "in_force" : row.id > inForce ? "pending" : "superseded",
    });
    previous = config;
  }
  return views.reverse();
}

export interface ConfigChangeMarker {
  version: number;
  date: string;
  reason: string;
}

type MarkerRow = Columns<typeof schema.configVersions, "id" | "reason" | "createdAt">;

function markersQuery(inForce: number): SQL {
  return sql`SELECT id, created_at AS "createdAt", reason FROM config_versions WHERE id <= ${inForce} ORDER BY id`;
}

function toMarkers(rows: MarkerRow[]): ConfigChangeMarker[] {
  return rows.slice(1).map((r) => ({ version: r.id, date: isoDateFromDay(Math.floor(r.createdAt / 86_400_000)), reason: r.reason }));
}

/** When the scoring rules changed (applied versions after the first), for time charts. */
export async function loadConfigChangeMarkers(db: Db): Promise<ConfigChangeMarker[]> {
  return toMarkers(await db.all<MarkerRow>(markersQuery((await loadScoringSettings(db)).configVersion)));
}

/** loadConfigChangeMarkers on the legacy synchronous connection. */
export function configChangeMarkers(db: Database): ConfigChangeMarker[] {
  return toMarkers(db.orm.all<MarkerRow>(markersQuery(getScoringSettings(db).configVersion)));
}

/** Event type labels by key, for describing configuration changes. */
export async function eventTypeLabels(db: Db): Promise<Record<string, string>> {
  return Object.fromEntries((await eventTypeRows(db)).map((t) => [t.key, t.label]));
}
