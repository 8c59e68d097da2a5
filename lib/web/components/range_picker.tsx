/**
 * Time range picker: preset links and an absolute from–to form (UTC), both keeping the rest of the URL's
 * parameters, so any window — `?range=custom&from=2025-12-10T06:00&to=2025-12-10T12:00` — is a shareable URL.
 * The form is a plain GET form: it works without script.
 *
 * @module
 */
import type { JSX } from "preact";
import type { RangeName, TimeWindow } from "../time_window.ts";

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  url: URL;
  current: RangeName;
  presets?: RangeName[];
  /** The resolved window, to prefill the absolute range form. */
  window?: TimeWindow;
}

/** `2026-11-29T04:00:00.000Z` → `2026-11-29T04:00` for a datetime-local input (UTC). */
function minuteInput(d: Date | undefined): string {
  return d ? d.toISOString().slice(0, 16) : "";
}

/** Renders preset links (`?range=…`), marking the current one, and the absolute range form. */
export function RangePicker(
  { url, current, presets = ["5m", "15m", "1h", "6h", "24h", "7d"], window }: RangePickerProps,
): JSX.Element {
  const kept = [...url.searchParams].filter(([k]) => !["range", "from", "to", "page"].includes(k));
  return (
    <div class="range-picker">
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
      <form
        class={`absolute-range ${current === "custom" ? "active" : ""}`}
        method="get"
        action={url.pathname}
      >
        {kept.map(([k, v], i) => <input key={i} type="hidden" name={k} value={v} />)}
        <input type="hidden" name="range" value="custom" />
        <input
          type="datetime-local"
          name="from"
          aria-label="From (UTC)"
          required
          value={current === "custom" ? minuteInput(window?.from) : ""}
        />
        <span class="muted">–</span>
        <input
          type="datetime-local"
          name="to"
          aria-label="To (UTC)"
          required
          value={current === "custom" ? minuteInput(window?.to) : ""}
        />
        <button type="submit">UTC range</button>
      </form>
    </div>
  );
}
