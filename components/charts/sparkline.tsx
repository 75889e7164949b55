/**
 * A small line of values (nulls leave gaps), with faint rules at marker positions. Plain SVG:
 * dozens of rows draw at once without a chart library's overhead. The vertical scale is given
 * (lib/teams/sparkline-scale.ts), shared by the lines drawn side by side, never fitted to one
 * line: fitted, a small drift would fill the height like a crash.
 */
export function Sparkline({
  values,
  scale,
  markerPositions = [],
  color = "var(--color-chart-line)",
  width = 120,
  height = 32,
  label,
}: {
  values: (number | null)[];
  scale: { min: number; max: number };
  /** Marker positions as fractions 0–1 of the width. */
  markerPositions?: number[];
  color?: string;
  width?: number;
  height?: number;
  label: string;
}) {
  const present = values.filter((v): v is number => v !== null);
  if (present.length < 2) {
    return (
      <svg width={width} height={height} role="img" aria-label={`${label}: not enough data`}>
        <line x1={0} x2={width} y1={height / 2} y2={height / 2} stroke="var(--color-chart-grid)" strokeDasharray="2 3" />
      </svg>
    );
  }
  const { min, max } = scale;
  const span = max - min || 1;
  const pad = 2;
  const x = (i: number) => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 2 * pad) + pad);
  const y = (v: number) => height - pad - ((v - min) / span) * (height - 2 * pad);
  const paths: string[] = [];
  let current = "";
  values.forEach((v, i) => {
    if (v === null) {
      if (current) paths.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
  });
  if (current) paths.push(current);
  const lastIndex = values.length - 1 - [...values].reverse().findIndex((v) => v !== null);
  const last = values[lastIndex];
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="overflow-visible">
      {markerPositions.map((p) => (
        <line key={p} x1={p * width} x2={p * width} y1={0} y2={height} stroke="var(--color-chart-marker)" strokeOpacity={0.5} strokeDasharray="2 2" />
      ))}
      {paths.map((d) => (
        <path key={d} d={d} fill="none" stroke={color} strokeWidth={1.5} strokeLinejoin="round" strokeLinecap="round" />
      ))}
      {last !== null && last !== undefined ? <circle cx={x(lastIndex)} cy={y(last)} r={2} fill={color} /> : null}
    </svg>
  );
}
