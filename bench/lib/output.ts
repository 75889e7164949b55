/** Progress lines (stderr) and number formatting shared by every part of the benchmark. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
