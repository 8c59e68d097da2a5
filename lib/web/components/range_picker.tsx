/**
 * Time range preset links that keep the rest of the URL's parameters.
 *
 * @module
 */
import type { JSX } from "preact";
import type { RangeName } from "../time_window.ts";

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  url: URL;
  current: RangeName;
  presets?: RangeName[];
}

/** Renders preset links (`?range=…`), marking the current one. */
export function RangePicker(
  { url, current, presets = ["5m", "15m", "1h", "6h", "24h", "7d"] }: RangePickerProps,
): JSX.Element {
  return (
    <nav class="ranges" aria-label="Time range">
      {presets.map((p) => {
        const u = new URL(url);
        u.searchParams.set("range", p);
        u.searchParams.delete("from");
        u.searchParams.delete("to");
        u.searchParams.delete("page");
        return (
          <a
            href={u.pathname + u.search}
            class={p === current ? "active" : undefined}
            aria-current={p === current ? "true" : undefined}
          >
            {p}
          </a>
        );
      })}
    </nav>
  );
}
