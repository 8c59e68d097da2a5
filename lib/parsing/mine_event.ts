/**
 * The one parser step shared by the parser actor and `deno task parse`: a {@link LogEvent} in, a
 * {@link MinedEvent} out, mined by a {@link TemplateMiner}.
 * @module
 */
import type { LogEvent, MinedEvent } from "../event/log_event.ts";
import type { MineResult, TemplateMiner } from "./template_miner.ts";

/** Event time in ms for the registry: the event's `ts`, or now when unreadable. */
function eventMs(event: LogEvent): number {
  if (event.ts === lastTs) return lastMs;
  const ms = Date.parse(event.ts);
  lastTs = event.ts;
  lastMs = Number.isFinite(ms) ? ms : Date.now();
  return lastMs;
}
let lastTs = "";
let lastMs = 0;

/**
 * Mines an event's content (for a `parse_error` event, its whole raw line) and returns the mined event.
 * @param miner the miner (learns from the event).
 * @param event the parsed event.
 * @returns a new object: the event plus `templateId`, `template`, `params`; `clusterId` is returned beside
 *   it for callers that need the final template of a line (the offline CLI).
 */
export function mineEvent(
  miner: TemplateMiner,
  event: LogEvent,
): { event: MinedEvent; clusterId: number; change: MineResult["change"]; tokensCapped: boolean } {
  const r = miner.mine(event.content, eventMs(event));
  return {
    event: { ...event, templateId: r.templateId, template: r.template, params: r.params },
    clusterId: r.clusterId,
    change: r.change,
    tokensCapped: r.tokensCapped,
  };
}
