/**
 * Builds mined events for the classification tests (one place, so tests stay short and agree on the shape).
 * @module
 */
import type { Level, MinedEvent } from "../event/log_event.ts";

/** A mined event with the given content; the template is the content unless given. */
export function minedEvent(
  content: string,
  options: { lineNo?: number; level?: Level; component?: string; template?: string; tsMs?: number } = {},
): MinedEvent {
  const template = options.template ?? content;
  const ts = new Date(options.tsMs ?? Date.UTC(2026, 0, 1)).toISOString();
  return {
    v: 1,
    id: `t:${options.lineNo ?? 1}`,
    ts,
    ingestTs: ts,
    host: "h",
    source: "test",
    system: "test",
    level: options.level ?? "info",
    component: options.component ?? "app",
    content,
    fields: {},
    lineNo: options.lineNo ?? 1,
    raw: content,
    flags: [],
    templateId: "T" + template.length + ":" + template.slice(0, 40),
    template,
    params: [],
  };
}
