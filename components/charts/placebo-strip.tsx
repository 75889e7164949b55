import { AXIS_COLOR, GROUP_COLORS, PLACEBO_COLORS } from "./palette";

/**
 * "How unusual is this?": the same before/after comparison at quiet dates (one dot each, the
 * shaded band their central 95 %) beside the observed difference (its interval and estimate).
 * Rows of a table share `domain` so they compare by eye. Draws only; the figures come in.
 */
export function PlaceboStrip({
  placebo,
  band,
  observed,
  domain,
  highlighted,
  label,
  width = 200,
  height = 34,
}: {
  /** Placebo differences (any order). */
  placebo: readonly number[];
  band: [number, number] | null;
  observed: { estimate: number; lower: number; upper: number } | null;
  domain: [number, number];
  /** Whether the observed difference is claimed as an effect (drawn in the "after" colour). */
  highlighted: boolean;
  label: string;
  width?: number | "100%";
  height?: number;
}) {
  const inner = 400;
  const [min, max] = domain;
  const span = max - min || 1;
  const x = (v: number) => ((Math.min(max, Math.max(min, v)) - min) / span) * (inner - 8) + 4;
  const stripTop = 3;
  const stripHeight = height - 16;
  const observedY = height - 6;
  const color = highlighted ? GROUP_COLORS.after : GROUP_COLORS.before;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${inner} ${height}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="placebo-strip"
      data-placebo-count={placebo.length}
    >
      {band ? <rect x={x(band[0])} width={Math.max(1, x(band[1]) - x(band[0]))} y={stripTop - 2} height={stripHeight + 4} fill={PLACEBO_COLORS.band} /> : null}
      <line x1={x(0)} x2={x(0)} y1={0} y2={height} stroke={AXIS_COLOR} strokeWidth={1} strokeDasharray="2 2" vectorEffect="non-scaling-stroke" />
      {placebo.map((v, i) => (
        // Spread the dots over five lanes so that close values stay visible.
        <rect key={i} x={x(v) - 1} y={stripTop + ((i * 7) % 5) * (stripHeight / 5)} width={2} height={stripHeight / 5} fill={PLACEBO_COLORS.dot} opacity={0.7} />
      ))}
      {observed ? (
        <g>
          <line x1={x(observed.lower)} x2={x(observed.upper)} y1={observedY} y2={observedY} stroke={color} strokeWidth={3} strokeLinecap="round" vectorEffect="non-scaling-stroke" />
          <rect x={x(observed.estimate) - 3} y={observedY - 4} width={6} height={8} fill={color} />
        </g>
      ) : null}
    </svg>
  );
}
