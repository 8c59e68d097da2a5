/**
 * A dense table of events: time, level, classification, score, host, component, message.
 *
 * @module
 */
import type { JSX } from "preact";
import type { EventHit } from "../web_deps.ts";
import { ClassBadge, LevelBadge, ScoreBar } from "./badges.tsx";
import { formatTime } from "./format.ts";

/** Longest message shown in a table cell; the event page shows all of it. */
export const MAX_CELL_CHARS = 500;

/** Cuts text to `max` characters with an ellipsis, so one huge line cannot blow up a page. */
export function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) + "…" : text;
}

/**
 * Renders events; each hot-tier row links to the event's page. A row from the archive (`tier: "archive"`) has
 * an `archive` badge and no link: the event page reads the hot tier, which no longer holds it.
 */
export function EventTable(
  { events, empty = "No events match.", currentDocId }: {
    events: EventHit[];
    empty?: string;
    /** The row to mark as the event being viewed. */
    currentDocId?: string;
  },
): JSX.Element {
  if (events.length === 0) return <p class="muted empty">{empty}</p>;
  return (
    <div class="table-wrap">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Level</th>
            <th scope="col">Class</th>
            <th scope="col">Score</th>
            <th scope="col">Host</th>
            <th scope="col">Component</th>
            <th scope="col" class="msg-col">Message</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr
              class={`row-${e.classification.toLowerCase()}${e.docId === currentDocId ? " current" : ""}`}
              aria-current={e.docId === currentDocId ? "true" : undefined}
            >
              <td class="mono nowrap">
                {e.tier === "archive"
                  ? (
                    <>
                      {formatTime(e.ts)}
                      <span
                        class="badge tier-archive"
                        title="from the archive (cold tier), older than the hot window"
                      >
                        archive
                      </span>
                    </>
                  )
                  : <a href={`/events/${encodeURIComponent(e.docId)}`}>{formatTime(e.ts)}</a>}
              </td>
              <td>
                <LevelBadge value={e.level} />
              </td>
              <td>
                <ClassBadge value={e.classification} />
              </td>
              <td>
                <ScoreBar score={e.score} />
              </td>
              <td class="mono trunc" title={e.host}>{e.host}</td>
              <td class="mono trunc" title={e.component}>{e.component}</td>
              <td class="mono msg" title={clip(e.content, 2000)}>{clip(e.content, MAX_CELL_CHARS)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
