/**
 * Lines of a log file → {@link MinedEvent}s, in order, exactly as the engine's parser would make them (format,
 * `lineToEvent`, online template mining). Shared by `deno task classify`, `deno task train` and the target tests
 * so they all see what the engine sees. A format field named `Label` (BGL's expert label) is blanked to `-`
 * before anything else reads the event: the classifier never sees it.
 *
 * @module
 */
import type { MinedEvent } from "../event/log_event.ts";
import { lineToEvent } from "../parsing/line_to_event.ts";
import type { LogFormat } from "../parsing/log_format.ts";
import { mineEvent } from "../parsing/mine_event.ts";
import { TemplateMiner } from "../parsing/template_miner.ts";

/** Fixed ingest time, so offline runs are reproducible (only used for lines without a timestamp). */
const OFFLINE_INGEST_MS = Date.UTC(2026, 0, 1);

/**
 * Mines lines one by one.
 * @param lines the lines (without line endings); line numbers are 1-based positions.
 * @param format the compiled format.
 * @param source the source name put in events.
 * @param miner the template miner (default: a new one, as a fresh engine would have).
 */
export function* minedLineStream(
  lines: Iterable<string>,
  format: LogFormat,
  source: string,
  miner: TemplateMiner = new TemplateMiner(),
): Generator<MinedEvent> {
  let lineNo = 0;
  for (const text of lines) {
    lineNo++;
    const event = lineToEvent({ text, lineNo }, format, { source, host: "offline" }, OFFLINE_INGEST_MS);
    if ("Label" in event.fields) event.fields.Label = "-";
    yield mineEvent(miner, event).event;
  }
}

/** Splits a file's text into lines (LF or CRLF), dropping one trailing empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
