/**
 * A one-line progress bar for long CLI runs: redrawn in place on a terminal, a plain line
 * every few seconds otherwise (CI logs, pipes, log files). `finish` always prints the final
 * line, wherever the output goes, so a log ends with the real totals. The caller passes what
 * is done (committed), not what was read.
 */
export interface ProgressBar {
  update(done: number, total: number, rows: number): void;
  /** The final state, printed in any case. */
  finish(done: number, total: number, rows: number): void;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

const WIDTH = 28;

/**
 * One line of progress. The share is rounded down: "100 %" appears only when `done` has
 * reached `total`, never for 99.6 %.
 */
export function progressLine(done: number, total: number, rows: number, elapsedSeconds: number): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const percent = Math.floor(share * 100);
  const filled = Math.floor(share * WIDTH);
  const rate = elapsedSeconds > 0 ? rows / elapsedSeconds : 0;
  const eta = share >= 1 ? 0 : share > 0 ? elapsedSeconds / share - elapsedSeconds : NaN;
  return `[${"█".repeat(filled)}${"░".repeat(WIDTH - filled)}] ${String(percent).padStart(3)} %  ${rows.toLocaleString("en-US")} rows  ${Math.round(rate).toLocaleString("en-US")} rows/s  ${share >= 1 ? "done in" : "ETA"} ${duration(share >= 1 ? elapsedSeconds : eta)}`;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, options: { intervalMs?: number } = {}): ProgressBar {
  const started = Date.now();
  const tty = stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  let lastDraw = 0;
  const elapsed = () => (Date.now() - started) / 1000;
  return {
    update(done, total, rows) {
      const now = Date.now();
      if (now - lastDraw < interval) return;
      lastDraw = now;
      const line = progressLine(done, total, rows, elapsed());
      stream.write(tty ? `\r${line}` : `${line}\n`);
    },
    finish(done, total, rows) {
      const line = progressLine(done, total, rows, elapsed());
      stream.write(tty ? `\r${line}\n` : `${line}\n`);
    },
  };
}
