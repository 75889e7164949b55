/**
 * The targets (issue #8, with issue #9's fit, issue #14's stall scenario and issue #19's
 * ingestion and whole pages), the verdict on each figure (met, or missed and by how much),
 * the printed tables and the README's Performance section.
 */
import fs from "node:fs";

export interface Target {
  op: "≥" | "≤";
  value: number;
}

export interface Figure {
  id: string;
  label: string;
  value: number;
  /** How the value and the target are shown. */
  unit: "%" | "ms" | "s" | "µs" | "MiB" | "MB";
  target?: Target;
  note?: string;
}

export interface Verdict {
  met: boolean | null;
  text: string;
}

export const TARGETS = {
  /** /v1/batch as a share of the bare reference's rate (bench/reference/), at ~1 M and ~20 M stored. */
  httpVsReference: { op: "≥", value: 50 },
  /** The CSV CLI as a share of the reference's /v1/batch rate at ~20 M stored. */
  csvVsReference: { op: "≥", value: 70 },
  /** /v1/batch at ~20 M stored as a share of its rate at ~1 M: ingestion does not slow as history grows. */
  sustained: { op: "≥", value: 90 },
  httpCpuMicros: { op: "≤", value: 60 },
  /** Scores reflect every event this long after the last response at most. */
  scoresLagMs: { op: "≤", value: 1000 },
  accountDataP95: { op: "≤", value: 100 },
  /** Whole pages as a browser gets them: the account page and a call-list page. */
  pagesP95: { op: "≤", value: 150 },
  recomputeSeconds: { op: "≤", value: 30 },
  listsP95: { op: "≤", value: 150 },
  teamsP95: { op: "≤", value: 300 },
  previewMs: { op: "≤", value: 1000 },
  memoryMiB: { op: "≤", value: 1024 },
  seedSeconds: { op: "≤", value: 30 },
  fitSeconds: { op: "≤", value: 5 },
  stallIngestP95: { op: "≤", value: 50 },
  stallPagesP95: { op: "≤", value: 300 },
  alertLatencySeconds: { op: "≤", value: 5 },
  digestSeconds: { op: "≤", value: 10 },
  alertsSlowdownPercent: { op: "≤", value: 10 },
  /** Issue 15: /v1/batch on PostgreSQL at least matches SQLite's rate on the same history. */
  postgresVsSqlite: { op: "≥", value: 100 },
  /** Issue 21: retention and metrics cost ingestion at most 5 %. */
  operationsVsPlain: { op: "≥", value: 95 },
} as const satisfies Record<string, Target>;

export function show(value: number, unit: Figure["unit"]): string {
  switch (unit) {
    case "%":
      return `${value.toFixed(0)} %`;
    case "ms":
      return `${value.toFixed(0)} ms`;
    case "µs":
      return `${value.toFixed(0)} µs`;
    case "s":
      return `${value.toFixed(1)} s`;
    case "MiB":
      return `${value.toFixed(0)} MiB`;
    case "MB":
      return `${value.toFixed(0)} MB`;
  }
}

export function verdict(figure: Figure): Verdict {
  const { target } = figure;
  if (!target) return { met: null, text: "" };
  const met = target.op === "≥" ? figure.value >= target.value : figure.value <= target.value;
  if (met) return { met, text: "met" };
  const gap = Math.abs(figure.value - target.value);
  const relative = target.op === "≥" ? `${((1 - figure.value / target.value) * 100).toFixed(0)} % short` : `${((figure.value / target.value - 1) * 100).toFixed(0)} % over`;
  return { met, text: `MISSED by ${show(gap, figure.unit)} (${relative})` };
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (alignRight[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  return [line(headers), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)].join("\n");
}

export function figuresTable(figures: readonly Figure[]): string {
  return table(
    ["figure", "value", "target", "verdict"],
    figures.map((f) => [f.label, show(f.value, f.unit), f.target ? `${f.target.op} ${show(f.target.value, f.unit)}` : "—", verdict(f).text || (f.note ?? "")]),
    [false, true, true, false],
  );
}

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/** Replaces the generated part of the README's Performance section. */
export function writeReadmeSection(file: string, markdown: string): void {
  const text = fs.readFileSync(file, "utf8");
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from === -1 || to === -1 || to < from) throw new Error(`${file} has no ${START} … ${END} block`);
  fs.writeFileSync(file, `${text.slice(0, from + START.length)}\n${markdown.trim()}\n${text.slice(to)}`);
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly boolean[]): string {
  return [
    `| ${headers.join(" | ")} |`,
    `|${alignRight.map((r) => (r ? "---:" : "---")).join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}
