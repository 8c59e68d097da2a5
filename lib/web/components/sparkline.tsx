/**
 * A tiny inline SVG sparkline (server-rendered; no script needed).
 *
 * @module
 */
import type { JSX } from "preact";

/** Draws `values` as a polyline with a filled area. */
export function Sparkline({ values, width = 120, height = 24 }: {
  values: number[];
  width?: number;
  height?: number;
}): JSX.Element {
  if (values.length < 2) return <svg class="spark" width={width} height={height} aria-hidden="true" />;
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  const pts = values.map((v, i) =>
    `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`
  );
  return (
    <svg class="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <polygon class="spark-area" points={`0,${height} ${pts.join(" ")} ${width},${height}`} />
      <polyline class="spark-line" points={pts.join(" ")} />
    </svg>
  );
}
