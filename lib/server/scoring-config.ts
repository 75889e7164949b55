import "server-only";
import type { Database } from "@/db";
import { isoDateFromDay, todayDay, type DayNumber } from "../days";
import { builtInConfig, diffConfigs, scoringConfigSchema, type ConfigChange, type ScoringConfig } from "../scoring/config";
import { compareScorings, scoreMatrix, type ChangePreview, type MatrixScoring } from "../scoring/preview";
import { scoreHistogram, type HistogramBin } from "../stats/histogram";
import type { AuditActor } from "./audit";
import { recordAuditSync } from "./audit";
import { getCountMatrix } from "./count-matrix";
import { getScoringSettings } from "./settings";

interface EventTypeDbRow {
  id: number;
  key: string;
  label: string;
  description: string;
  weightHundredths: number;
  active: number;
  isNew: number;
  held: number;
}

function eventTypeRows(db: Database): EventTypeDbRow[] {
  return db.sqlite
    .prepare(
      "SELECT id, key, label, description, weight_hundredths AS weightHundredths, active, is_new AS isNew, held FROM event_types ORDER BY label COLLATE NOCASE, key",
    )
    .all() as EventTypeDbRow[];
}

/** The configuration the stored scores are computed with. */
export function configInForce(db: Database): ScoringConfig & { version: number } {
  const s = getScoringSettings(db);
  const types: ScoringConfig["types"] = {};
  for (const t of eventTypeRows(db)) types[t.key] = { weightHundredths: t.weightHundredths, active: t.active === 1 };
  return {
    version: s.configVersion,
    settings: { windowDays: s.windowDays, compareDays: s.compareDays, thresholds: s.thresholds, decline: s.decline },
    types,
  };
}

/** The day the stored scores are as of (today when nothing is scored yet). */
export function scoresAsOfDay(db: Database): DayNumber {
  return (db.sqlite.prepare("SELECT max(as_of_day) FROM account_scores").pluck().get() as number | null) ?? todayDay();
}

/** Weights by type id for a configuration; types it does not mention keep the weight in force. */
export function weightTableFor(db: Database, config: ScoringConfig): Map<number, number> {
  const table = new Map<number, number>();
  for (const t of eventTypeRows(db)) {
    const c = config.types[t.key] ?? { weightHundredths: t.weightHundredths, active: t.active === 1 };
    table.set(t.id, c.active ? c.weightHundredths : 0);
  }
  return table;
}

function matrixScoring(db: Database, config: ScoringConfig): MatrixScoring {
  return { weights: weightTableFor(db, config), thresholds: config.settings.thresholds, decline: config.settings.decline };
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
export function eventTypesWithStats(db: Database): EventTypeStats[] {
  const config = configInForce(db);
  const matrix = getCountMatrix(db, { asOfDay: scoresAsOfDay(db), windowDays: config.settings.windowDays, compareDays: config.settings.compareDays });
  const m = matrix.typeIds.length;
  const volumeByType = new Map<number, number>();
  matrix.typeIds.forEach((typeId, j) => {
    let v = 0;
    for (let i = 0; i < matrix.accountIds.length; i++) v += matrix.current[i * m + j] ?? 0;
    volumeByType.set(typeId, v);
  });
  const rows = eventTypeRows(db).map((t) => {
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

/**
 * What an edited configuration would do to every account, against the configuration in
 * force: band moves, distributions, declining counts and the accounts that move most.
 * Runs over all accounts on the server from the in-memory count matrix.
 */
export function previewScoringChange(db: Database, edited: ScoringConfig): ScoringPreview {
  const current = configInForce(db);
  const asOfDay = scoresAsOfDay(db);
  const beforeMatrix = getCountMatrix(db, { asOfDay, windowDays: current.settings.windowDays, compareDays: current.settings.compareDays });
  const afterMatrix = getCountMatrix(db, { asOfDay, windowDays: edited.settings.windowDays, compareDays: edited.settings.compareDays });
  const before = scoreMatrix(beforeMatrix, matrixScoring(db, current));
  const after = scoreMatrix(afterMatrix, matrixScoring(db, edited));
  const preview = compareScorings(beforeMatrix.accountIds, before, after, 10);

  const histogram = (scores: Float64Array) =>
    scoreHistogram(scores, { binWidth: 10, max: 150, thresholds: edited.settings.thresholds });
  const names = new Map(
    (
      db.sqlite
        .prepare("SELECT id, name FROM accounts WHERE id IN (SELECT value FROM json_each(?))")
        .all(JSON.stringify(preview.biggestMoves.map((m) => m.accountId))) as { id: number; name: string }[]
    ).map((r) => [r.id, r.name]),
  );
  return {
    ...preview,
    histogramBefore: histogram(before.current),
    histogramAfter: histogram(after.current),
    biggestMovesNamed: preview.biggestMoves.map((m) => ({ ...m, name: names.get(m.accountId) ?? `#${m.accountId}` })),
    changes: diffConfigs(current, edited),
  };
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

function assertKnownTypes(db: Database, config: ScoringConfig): void {
  const known = new Set(eventTypeRows(db).map((t) => t.key));
  for (const key of Object.keys(config.types)) {
    if (!known.has(key)) throw new ConfigError(`Unknown event type "${key}"`, `types.${key}`);
  }
}

/** The newest saved version that is not yet applied to the scores, if any. */
export function pendingConfigVersion(db: Database): { id: number; config: ScoringConfig } | null {
  const inForce = getScoringSettings(db).configVersion;
  const row = db.sqlite.prepare("SELECT id, snapshot FROM config_versions WHERE id > ? ORDER BY id DESC LIMIT 1").get(inForce) as
    | { id: number; snapshot: string }
    | undefined;
  return row ? { id: row.id, config: parseScoringConfig(JSON.parse(row.snapshot)) } : null;
}

/**
 * Saves a configuration as a new version (who, when, why, what changed). It is applied to the
 * scores by the recompute job; until then readers keep the scores of the version in force.
 */
export function saveConfigVersion(db: Database, actor: AuditActor, config: ScoringConfig, reason: string, action = "scoring.save"): number {
  assertKnownTypes(db, config);
  const before = configInForce(db);
  const changes = diffConfigs(before, config);
  if (changes.length === 0) throw new ConfigError("Nothing to save: the configuration is the same as the one in force.", undefined, 409);
  return db.sqlite.transaction(() => {
    const id = db.sqlite
      .prepare("INSERT INTO config_versions (created_by, reason, snapshot) VALUES (?, ?, ?) RETURNING id")
      .pluck()
      .get(actor.name, reason.trim(), JSON.stringify(config)) as number;
    recordAuditSync(db, actor, { action, target: `config_version:${id}`, details: { reason: reason.trim(), changes } });
    return id;
  })();
}

/** Restoring an old version saves its configuration again, as a new version. */
export function restoreConfigVersion(db: Database, actor: AuditActor, versionId: number): number {
  const row = db.sqlite.prepare("SELECT snapshot FROM config_versions WHERE id = ?").get(versionId) as { snapshot: string } | undefined;
  if (!row) throw new ConfigError(`There is no configuration version ${versionId}.`, "id", 404);
  const config = parseScoringConfig(JSON.parse(row.snapshot));
  // Types that did not exist then keep their current weight; types deleted since are left out.
  const current = configInForce(db);
  const types = { ...current.types };
  for (const [key, t] of Object.entries(config.types)) if (key in current.types) types[key] = t;
  const merged: ScoringConfig = { settings: config.settings, types };
  return saveConfigVersion(db, actor, merged, `Restore of version ${versionId}`, "scoring.restore");
}

/** Makes a version's configuration the one in force; call inside the transaction that writes its scores. */
export function applyConfigVersion(db: Database, versionId: number, config: ScoringConfig): void {
  const update = db.sqlite.prepare("UPDATE event_types SET weight_hundredths = ?, active = ?, is_new = CASE WHEN ? <> weight_hundredths THEN 0 ELSE is_new END WHERE key = ?");
  for (const [key, t] of Object.entries(config.types)) update.run(t.weightHundredths, t.active ? 1 : 0, t.weightHundredths, key);
  const s = config.settings;
  db.sqlite
    .prepare(
      `UPDATE scoring_settings SET window_days = ?, compare_days = ?, churn_risk_max = ?, medium_from = ?, high_from = ?, power_above = ?,
         decline_percent = ?, decline_points = ?, config_version = ? WHERE id = 1`,
    )
    .run(s.windowDays, s.compareDays, s.thresholds.churnRiskMax, s.thresholds.mediumFrom, s.thresholds.highFrom, s.thresholds.powerAbove, s.decline.declinePercent, s.decline.declinePoints, versionId);
}

export interface ConfigVersionView {
  id: number;
  createdAt: string;
  createdBy: string;
  reason: string;
  changes: ConfigChange[];
  status: "in_force" | "pending" | "superseded";
}

/**
 * Every version, newest first, each with what it changed against the version before it; the
 * first one against the built-in defaults it replaced (default settings, every weight 0).
 */
export function listConfigVersions(db: Database): ConfigVersionView[] {
  const inForce = getScoringSettings(db).configVersion;
  const rows = db.sqlite
    .prepare("SELECT id, created_at AS createdAt, created_by AS createdBy, reason, snapshot FROM config_versions ORDER BY id")
    .all() as { id: number; createdAt: number; createdBy: string; reason: string; snapshot: string }[];
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

/** When the scoring rules changed (applied versions after the first), for time charts. */
export function configChangeMarkers(db: Database): ConfigChangeMarker[] {
  const inForce = getScoringSettings(db).configVersion;
  const rows = db.sqlite
    .prepare("SELECT id, created_at AS createdAt, reason FROM config_versions WHERE id <= ? ORDER BY id")
    .all(inForce) as { id: number; createdAt: number; reason: string }[];
  return rows.slice(1).map((r) => ({ version: r.id, date: isoDateFromDay(Math.floor(r.createdAt / 86_400_000)), reason: r.reason }));
}

/** Event type labels by key, for describing configuration changes. */
export function eventTypeLabels(db: Database): Record<string, string> {
  return Object.fromEntries(eventTypeRows(db).map((t) => [t.key, t.label]));
}
