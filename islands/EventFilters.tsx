/**
 * Island: the explorer's filter bar. Works without script as a GET form; with script, checkboxes and selects
 * apply at once and the URL is built without empty parameters, so it stays short and shareable.
 */
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { CLASSIFICATIONS, LEVELS } from "../lib/event/log_event.ts";
import type { EventQuery } from "../lib/web/event_query.ts";
import { RANGE_NAMES } from "../lib/web/time_window.ts";

/** Props of {@link EventFilters}. */
export interface EventFiltersProps {
  query: EventQuery;
}

const CLASS_LABEL: Record<string, string> = {
  NORMAL: "normal",
  ANOMALY: "anomaly",
  CRITICAL_ANOMALY: "critical",
};

/** `2026-11-29T04:00:00.000Z` → `2026-11-29T04:00` for a datetime-local input (UTC). */
function toLocalInput(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : "";
}

/** Builds the explorer URL from the form, leaving out empty values. */
export function formToUrl(form: HTMLFormElement): string {
  const data = new FormData(form);
  const out = new URLSearchParams();
  for (const [key, value] of data) {
    if (typeof value !== "string" || value.trim() === "") continue;
    if ((key === "from" || key === "to") && data.get("range") !== "custom") continue;
    if (key === "range" && value === "1h") continue;
    if (key === "sort" && value === "time") continue;
    if (key === "order" && value === "desc") continue;
    // datetime-local has no zone: the UI is in UTC.
    out.append(key, key === "from" || key === "to" ? value + ":00Z" : value.trim());
  }
  const qs = out.toString();
  return "/events" + (qs ? "?" + qs : "");
}

/** The filter form. */
export default function EventFilters({ query }: EventFiltersProps): JSX.Element {
  const submit = (e: Event) => {
    e.preventDefault();
    location.assign(formToUrl(e.currentTarget as HTMLFormElement));
  };
  const applyNow = (e: Event) => (e.currentTarget as HTMLInputElement).form?.requestSubmit();
  const range = useSignal(query.range);
  const onRange = (e: Event) => {
    range.value = (e.currentTarget as HTMLSelectElement).value as EventQuery["range"];
    // A custom range needs from/to first; presets apply at once.
    if (range.value !== "custom") applyNow(e);
  };

  return (
    <form class="filters panel" method="get" action="/events" onSubmit={submit} role="search">
      <div class="filter-row">
        <input
          class="search"
          type="search"
          name="q"
          value={query.q ?? ""}
          maxLength={1000}
          placeholder='Search messages — "exact phrase", -exclude, prefix*'
          aria-label="Full-text search"
        />
        <select name="range" aria-label="Time range" onChange={onRange}>
          {RANGE_NAMES.map((r) => (
            <option value={r} selected={r === query.range}>{r === "custom" ? "custom…" : `last ${r}`}</option>
          ))}
        </select>
        <label class={`custom-range ${range.value === "custom" ? "" : "hidden"}`}>
          from{" "}
          <input type="datetime-local" name="from" value={toLocalInput(query.from)} aria-label="From (UTC)" />
          to <input type="datetime-local" name="to" value={toLocalInput(query.to)} aria-label="To (UTC)" />
        </label>
        <button type="submit" class="primary">Apply</button>
      </div>
      <div class="filter-row">
        <fieldset class="chips">
          <legend>Class</legend>
          {CLASSIFICATIONS.map((c) => (
            <label class={`chip cls-${c.toLowerCase()}`}>
              <input
                type="checkbox"
                name="classification"
                value={c}
                checked={query.classification.includes(c)}
                onChange={applyNow}
              />
              {CLASS_LABEL[c]}
            </label>
          ))}
        </fieldset>
        <fieldset class="chips">
          <legend>Level</legend>
          {LEVELS.map((l) => (
            <label class={`chip lvl-${l}`}>
              <input
                type="checkbox"
                name="level"
                value={l}
                checked={query.level.includes(l)}
                onChange={applyNow}
              />
              {l}
            </label>
          ))}
        </fieldset>
      </div>
      <div class="filter-row">
        <input
          type="text"
          name="component"
          value={query.component ?? ""}
          placeholder="component"
          aria-label="Component"
          maxLength={1024}
        />
        <input
          type="text"
          name="host"
          value={query.host ?? ""}
          placeholder="host"
          aria-label="Host"
          maxLength={512}
        />
        <input
          type="text"
          name="system"
          value={query.system ?? ""}
          placeholder="system"
          aria-label="System"
          maxLength={128}
        />
        <input
          type="text"
          name="source"
          value={query.source ?? ""}
          placeholder="source (file or stream)"
          aria-label="Source"
          maxLength={4096}
        />
        <input
          type="text"
          name="templateId"
          value={query.templateId ?? ""}
          placeholder="template id"
          aria-label="Template id"
          maxLength={256}
        />
        {query.incidentId
          ? (
            // Set by an incident's "events" link; shown (and clearable) so the narrowed list is explained.
            <input
              type="text"
              name="incidentId"
              value={query.incidentId}
              placeholder="incident id"
              aria-label="Incident id"
              maxLength={256}
            />
          )
          : null}
        <select name="sort" aria-label="Sort by" onChange={applyNow}>
          <option value="time" selected={query.sort === "time"}>sort: time</option>
          <option value="score" selected={query.sort === "score"}>sort: score</option>
        </select>
        <select name="order" aria-label="Order" onChange={applyNow}>
          <option value="desc" selected={query.order === "desc"}>newest / highest first</option>
          <option value="asc" selected={query.order === "asc"}>oldest / lowest first</option>
        </select>
        <a class="reset" href="/events">reset</a>
      </div>
    </form>
  );
}
