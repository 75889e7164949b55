/**
 * One confidence interval on a shared scale: a bar from lower to upper, a dot at the
 * estimate and a rule at zero. Rows of a table share `domain` so intervals compare by eye.
 */
export function IntervalPlot({
  lower,
  upper,
  estimate,
  domain,
  significant,
  label,
  width = 160,
  height = 20,
}: {
  lower: number;
  upper: number;
  estimate: number;
  domain: [number, number];
  significant: boolean;
  label: string;
  width?: number;
  height?: number;
}) {
  const [min, max] = domain;
  const span = max - min || 1;
  const x = (v: number) => ((Math.min(max, Math.max(min, v)) - min) / span) * (width - 8) + 4;
  const color = significant ? "var(--color-group-after)" : "var(--color-group-before)";
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <line x1={x(0)} x2={x(0)} y1={0} y2={height} stroke="var(--color-chart-axis)" strokeWidth={1} strokeDasharray="2 2" />
      <line x1={x(lower)} x2={x(upper)} y1={height / 2} y2={height / 2} stroke={color} strokeWidth={3} strokeLinecap="round" />
      <circle cx={x(estimate)} cy={height / 2} r={4} fill="white" stroke={color} strokeWidth={2} />
    </svg>
  );
}
