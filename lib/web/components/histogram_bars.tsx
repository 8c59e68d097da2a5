/**
 * The explorer's matches-over-time bar chart, server-rendered as SVG: each bar links to the explorer narrowed
 * to its bucket (same filters, custom range), like Discover's histogram.
 *
 * @module
 */
import type { JSX } from "preact";
import { formatCount } from "./format.ts";

/** Props of {@link HistogramBars}. */
export interface HistogramBarsProps {
  t: number[];
  counts: number[];
  stepSec: number;
  /** Builds the link for a bucket [from, to) in epoch seconds. */
  href: (from: number, to: number) => string;
  height?: number;
}

const clock = (secs: number) => new Date(secs * 1000).toISOString().replace("T", " ").slice(5, 19);

/** Renders the bars with first/last time labels and the peak count. */
export function HistogramBars(
  { t, counts, stepSec, href, height = 72 }: HistogramBarsProps,
): JSX.Element | null {
  if (t.length === 0) return null;
  const max = Math.max(...counts, 1);
  const width = 1000;
  const barW = width / t.length;
  return (
    <figure class="histogram">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Matches over time, ${stepSec}s per bar, peak ${max}`}
      >
        {t.map((start, i) => {
          const h = counts[i] === 0 ? 0 : Math.max(1.5, (counts[i] / max) * (height - 2));
          return (
            <a key={start} href={href(start, start + stepSec)}>
              <title>{`${clock(start)} UTC: ${counts[i]}`}</title>
              <rect class="hit-area" x={i * barW} y={0} width={barW} height={height} />
              <rect class="bar" x={i * barW + barW * 0.1} y={height - h} width={barW * 0.8} height={h} />
            </a>
          );
        })}
      </svg>
      <figcaption class="muted mono small">
        <span>{clock(t[0])}</span>
        <span>peak {formatCount(max)} / {stepSec}s</span>
        <span>{clock(t[t.length - 1] + stepSec)} UTC</span>
      </figcaption>
    </figure>
  );
}
