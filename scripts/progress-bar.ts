/**
 * A one-line progress bar for long CLI runs: redrawn in place on a terminal, a plain line
 * every few seconds otherwise (CI logs, pipes).
 */
export interface ProgressBar {
  update(done: number, total: number, rows: number): void;
  finish(): void;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastLine = "";
  const width = 28;
  const line = (done: number, total: number, rows: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * width);
    const elapsed = (Date.now() - started) / 1000;
    const rate = elapsed > 0 ? rows / elapsed : 0;
    const eta = share > 0 ? elapsed / share - elapsed : NaN;
    return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} %  ${rows.toLocaleString("en-US")} rows  ${Math.round(rate).toLocaleString("en-US")} rows/s  ETA ${duration(eta)}`;
  };
  return {
    update(done, total, rows) {
      const now = Date.now();
      if (now - lastDraw < (tty ? 100 : 5000)) return;
      lastDraw = now;
      lastLine = line(done, total, rows);
      stream.write(tty ? `\r${lastLine}` : `${lastLine}\n`);
    },
    finish() {
      if (tty && lastLine) stream.write("\n");
    },
  };
}
