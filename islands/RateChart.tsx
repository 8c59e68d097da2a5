/**
 * Island: an event-rate chart (uPlot) split by classification or level, seeded from the hot tier and advanced
 * live by per-second ticks over SSE. uPlot is loaded only in the browser (dynamic import in an effect).
 */
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { JSX } from "preact";
import type uPlot from "uplot";
import { CLASS_COLORS, LEVEL_COLORS, SERIES_ORDER } from "../lib/web/components/palette.ts";
import { onTick } from "../lib/web/client/live_stream.ts";
import { appendLiveBucket } from "../lib/web/client/append_live_bucket.ts";
import type { TickFrame } from "../lib/web/live_frame.ts";

/** Props of {@link RateChart}. */
export interface RateChartProps {
  title: string;
  splitBy: "classification" | "level";
  /** Bucket starts, epoch seconds. */
  t: number[];
  /** Counts per bucket by series name. */
  series: Record<string, number[]>;
  stepSec: number;
  /** Append live ticks (only for a window that ends now: a past window must not follow them). */
  live: boolean;
  height?: number;
}

function seriesNames(props: RateChartProps): string[] {
  const order: readonly string[] = SERIES_ORDER[props.splitBy];
  const present = new Set(Object.keys(props.series));
  // Always show the classification series (a zero line is information); levels when present, plus the ones
  // live data most often brings (series are fixed once the chart exists).
  const common = new Set(["info", "warn", "error"]);
  return props.splitBy === "classification"
    ? [...order]
    : order.filter((n) => present.has(n) || common.has(n));
}

const clockOf = (secs: number) => new Date(secs * 1000).toISOString().slice(11, 19);

/** The explorer URL for a time range (epoch seconds). */
export function exploreUrl({ from, to }: { from: number; to: number }): string {
  const p = new URLSearchParams({
    range: "custom",
    from: new Date(from * 1000).toISOString(),
    to: new Date(to * 1000).toISOString(),
  });
  return "/events?" + p.toString();
}

/** The chart island. */
export default function RateChart(props: RateChartProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const colors = props.splitBy === "classification" ? CLASS_COLORS : LEVEL_COLORS;
  const names = seriesNames(props);
  /** The last drag-selected time range (epoch seconds), offered as an explorer link. */
  const selection = useSignal<{ from: number; to: number } | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | undefined;
    let disposed = false;
    let updates = 0;
    const step = Math.max(1, props.stepSec);
    const keep = Math.max(props.t.length, 60);
    const t = [...props.t];
    const cols = names.map((n) => (props.series[n] ?? new Array(t.length).fill(0)).map((c) => c / step));
    const unsubscribe = props.live
      ? onTick((tick: TickFrame) => {
        const counts = (props.splitBy === "classification" ? tick.byClassification : tick.byLevel) as Record<
          string,
          number
        >;
        // A level series that appears for the first time is ignored until reload (keeps uPlot's series fixed).
        const bucket = Math.floor(tick.t / step) * step;
        if (!appendLiveBucket(t, cols, bucket, step, keep)) return; // late tick, already scrolled past
        names.forEach((n, i) => (cols[i][cols[i].length - 1] += (counts[n] ?? 0) / step));
        updates++;
        el.dataset.updates = String(updates);
        el.dataset.lastT = String(t[t.length - 1]);
        chart?.setData([t, ...cols]);
      })
      : () => {};

    import("uplot").then(({ default: UPlot }) => {
      if (disposed) return;
      const axis = {
        stroke: "#8b95a7",
        grid: { stroke: "rgba(139,149,167,0.12)", width: 1 },
        ticks: { show: false },
      };
      const clock = (secs: number, withSeconds: boolean) =>
        new Date(secs * 1000).toISOString().slice(11, withSeconds ? 19 : 16);
      chart = new UPlot(
        {
          width: el.clientWidth || 600,
          height: props.height ?? 220,
          cursor: { drag: { x: true, y: false } },
          legend: { show: true, live: true },
          scales: { x: { time: true } },
          hooks: {
            setSelect: [(u: uPlot) => {
              if (u.select.width < 2) return;
              const from = u.posToVal(u.select.left, "x");
              const to = u.posToVal(u.select.left + u.select.width, "x");
              selection.value = { from: Math.floor(from), to: Math.ceil(to) };
            }],
          },
          // Times everywhere in vigil are UTC.
          tzDate: (ts: number) => UPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
          axes: [{
            ...axis,
            // 24-hour UTC clock; dates when the ticks are days apart.
            values: (_u, splits, _ax, _space, incr) =>
              splits.map((s) =>
                incr >= 86_400 ? new Date(s * 1000).toISOString().slice(5, 10) : clock(s, incr < 60)
              ),
          }, {
            ...axis,
            size: 48,
            values: (_u, vals) => vals.map((v) => (v >= 1000 ? `${v / 1000}k` : String(v))),
          }],
          series: [
            {},
            ...names.map((n) => ({
              label: n,
              stroke: colors[n] ?? "#999",
              fill: (colors[n] ?? "#999999") + "22",
              width: 1.5,
              points: { show: false },
              value: (_u: uPlot, v: number | null) => (v == null ? "–" : `${v.toFixed(1)}/s`),
            })),
          ],
        },
        [t, ...cols],
        el,
      );
      el.dataset.ready = "true";
      const resize = new ResizeObserver(() =>
        chart?.setSize({ width: el.clientWidth, height: props.height ?? 220 })
      );
      resize.observe(el);
      el.addEventListener("vigil:dispose", () => resize.disconnect(), { once: true });
    });
    return () => {
      disposed = true;
      unsubscribe();
      el.dispatchEvent(new Event("vigil:dispose"));
      chart?.destroy();
    };
  }, []);

  return (
    <figure class="chart panel">
      <figcaption>
        <span class="chart-title">{props.title}</span>
        {props.live ? <span class="live-pill">live</span> : null}
        {selection.value
          ? (
            <a class="zoom-link" href={exploreUrl(selection.value)}>
              explore {clockOf(selection.value.from)}–{clockOf(selection.value.to)} →
            </a>
          )
          : null}
        <span class="muted chart-step">{props.stepSec}s buckets · events/s · drag to zoom</span>
      </figcaption>
      <div
        ref={box}
        class="chart-box"
        style={`height:${(props.height ?? 220) + 34}px`}
        data-chart={props.splitBy}
      />
    </figure>
  );
}
