/**
 * "Newest data: <range>" — offered when the chosen window is empty but the hot tier holds events elsewhere in
 * time (a replayed file dated years ago lands outside every preset window; issue 18). The link keeps the
 * page and its other parameters and moves the window, keeping its width, to end just after the newest event.
 *
 * @module
 */
import type { JSX } from "preact";
import { formatTime } from "./format.ts";
import type { TimeWindow } from "../time_window.ts";

/** The window of the same width as `window` that ends at the minute after `newestTs`. */
export function newestDataWindow(newestTs: string, window: TimeWindow): { from: Date; to: Date } {
  const span = window.to.getTime() - window.from.getTime();
  const to = new Date(Math.floor(Date.parse(newestTs) / 60_000) * 60_000 + 60_000);
  return { from: new Date(to.getTime() - span), to };
}

/** The current URL moved to {@link newestDataWindow} (`range=custom`, minutes in UTC, page reset). */
export function newestDataUrl(url: URL, newestTs: string, window: TimeWindow): string {
  const { from, to } = newestDataWindow(newestTs, window);
  const u = new URL(url);
  u.searchParams.set("range", "custom");
  u.searchParams.set("from", from.toISOString().slice(0, 16));
  u.searchParams.set("to", to.toISOString().slice(0, 16));
  u.searchParams.delete("page");
  return u.pathname + u.search;
}

/**
 * The hint, or nothing when there is no newer data to offer (`newestTs` absent, or already inside the window).
 */
export function NewestDataHint(
  { url, window, newestTs }: { url: URL; window: TimeWindow; newestTs?: string },
): JSX.Element | null {
  if (!newestTs) return null;
  const t = Date.parse(newestTs);
  if (!Number.isFinite(t) || (t >= window.from.getTime() && t <= window.to.getTime())) return null;
  const { from, to } = newestDataWindow(newestTs, window);
  return (
    <p class="banner newest-data" role="status">
      Nothing in this window.{" "}
      <a href={newestDataUrl(url, newestTs, window)} data-newest-data>
        Newest data: {formatTime(from.toISOString()).slice(0, 16)} –{" "}
        {formatTime(to.toISOString()).slice(0, 16)} UTC
      </a>
    </p>
  );
}
