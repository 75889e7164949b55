/**
 * A renewal rate on a 0–100 % scale: the promised range shaded (when there is one), the 95 %
 * interval as a bar and the rate as a dot. Rows of a table share the scale.
 */
export function RateInterval({
  rate,
  lower,
  upper,
  promise,
  color,
  label,
  width = 200,
  height = 22,
}: {
  rate: number;
  lower: number;
  upper: number;
  promise?: { lower: number; upper: number };
  color: string;
  label: string;
  width?: number;
  height?: number;
}) {
  const x = (v: number) => 4 + Math.min(1, Math.max(0, v)) * (width - 8);
  const mid = height / 2;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="max-w-full">
      <line x1={x(0)} x2={x(1)} y1={mid} y2={mid} stroke="var(--color-chart-grid)" strokeWidth={1} />
      {[0, 0.5, 1].map((t) => (
        <line key={t} x1={x(t)} x2={x(t)} y1={mid - 4} y2={mid + 4} stroke="var(--color-chart-grid)" strokeWidth={1} />
      ))}
      {promise ? (
        <rect x={x(promise.lower)} width={Math.max(2, x(promise.upper) - x(promise.lower))} y={2} height={height - 4} rx={3} fill="var(--color-chart-before)" fillOpacity={0.45} />
      ) : null}
      <line x1={x(lower)} x2={x(upper)} y1={mid} y2={mid} stroke={color} strokeWidth={4} strokeLinecap="round" />
      <circle cx={x(rate)} cy={mid} r={4.5} fill="white" stroke={color} strokeWidth={2.5} />
    </svg>
  );
}
