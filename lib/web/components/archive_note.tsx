/**
 * What the archive (cold tier) contributed to a page (the explorer's rows, the Overview's charts): a note when
 * part of the range lies before the hot window and the archive matched something, a warning when the archive
 * part is missing (and why), nothing when the range is all hot or the archive matched nothing.
 *
 * @module
 */
import type { JSX } from "preact";
import type { ArchiveStatus } from "../search_with_archive.ts";
import { formatCount, formatTime } from "./format.ts";

/**
 * The note, or nothing when the archive was not involved or found nothing (a replayed file's old dates lie
 * before the hot window although the hot tier holds them: "0 from the archive" would only be noise);
 * `counted` names what its total counts.
 */
export function ArchiveNote(
  { status, counted = "matching" }: { status?: ArchiveStatus; counted?: string },
): JSX.Element | null {
  if (!status || (status.state === "answered" && (status.total ?? 0) === 0)) return null;
  const before = <span class="mono">{formatTime(status.hotWindowStart)}</span>;
  if (status.state !== "answered") {
    return (
      <div class="banner warn archive-note" role="alert" data-archive={status.state}>
        <strong>Archive part missing.</strong> Events before {before}{" "}
        (older than the hot window) are not shown: {status.reason}. The hot tier's events are shown.
      </div>
    );
  }
  return (
    <div class="banner info archive-note" data-archive={status.state}>
      Events before {before} come from the archive (cold tier): {formatCount(status.total ?? 0)} {counted}
      {status.events === undefined ? "" : `, ${status.events} on this page`}, in {status.tookMs} ms.
      {status.caveats.length > 0
        ? (
          <ul>
            {status.caveats.map((c) => <li key={c} class="muted">{c}</li>)}
          </ul>
        )
        : null}
    </div>
  );
}
