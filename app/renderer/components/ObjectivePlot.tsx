/** The training objective against progress: a small live line chart (SVG), log-scaled values. */
export function ObjectivePlot({ points, width = 360, height = 140 }: { points: { fraction: number; value: number }[]; width?: number; height?: number }) {
  const pad = { l: 52, r: 10, t: 10, b: 22 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const values = points.map((p) => p.value).filter((v) => v > 0 && Number.isFinite(v));
  const lo = values.length ? Math.min(...values) : 1;
  const hi = values.length ? Math.max(...values) : 10;
  const l0 = Math.log10(lo);
  const l1 = Math.max(Math.log10(hi), l0 + 1e-3);
  const x = (f: number) => pad.l + f * w;
  const y = (v: number) => pad.t + (1 - (Math.log10(v) - l0) / (l1 - l0)) * h;
  const path = points
    .filter((p) => p.value > 0)
    .map((p, i) => `${i ? 'L' : 'M'}${x(p.fraction).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join('');
  const last = points[points.length - 1];
  return (
    <svg className="objective-plot" width={width} height={height} role="img" aria-label="Training objective" data-testid="objective-plot" data-points={points.length}>
      <rect x={pad.l} y={pad.t} width={w} height={h} className="plot-bg" />
      {[0, 0.25, 0.5, 0.75, 1].map((f) => (
        <g key={f}>
          <line x1={x(f)} x2={x(f)} y1={pad.t} y2={pad.t + h} className="grid" />
          <text x={x(f)} y={height - 6} textAnchor="middle">
            {Math.round(f * 100)}%
          </text>
        </g>
      ))}
      {values.length > 0 && (
        <>
          <text x={pad.l - 6} y={pad.t + 8} textAnchor="end">
            {hi.toPrecision(3)}
          </text>
          <text x={pad.l - 6} y={pad.t + h} textAnchor="end">
            {lo.toPrecision(3)}
          </text>
        </>
      )}
      <path d={path} className="line" />
      {last && last.value > 0 && <circle cx={x(last.fraction)} cy={y(last.value)} r={3} className="dot" />}
    </svg>
  );
}
