/**
 * The explorer's query parameters: one zod schema validates what arrives in the URL (`/events?...`,
 * `/api/events?...`) and {@link toSearchParams} writes it back, so a URL is a shareable filter state.
 *
 * @module
 */
import { z } from "zod";
import { CLASSIFICATIONS, LEVELS } from "../event/log_event.ts";
import { RANGE_NAMES, type RangeName } from "./time_window.ts";

/** OpenSearch's default `index.max_result_window`: from + size may not exceed it. */
export const MAX_RESULT_WINDOW = 10_000;

/** Keys that may repeat in the URL (`?level=warn&level=error`). */
const MULTI_KEYS = new Set(["classification", "level"]);

/**
 * An instant as ISO 8601. A time without zone (what `<input type="datetime-local">` sends when scripts are off)
 * is taken as UTC, the zone the whole UI shows; the value is normalised to `…Z`.
 */
export const IsoInstantSchema = z.iso.datetime({ offset: true, local: true }).transform((s) => {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : s + "Z";
  return new Date(zoned).toISOString();
});

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => text(max).optional().transform((s) => (s ? s : undefined));

/** Schema of the explorer's parameters, with defaults. Unknown keys are rejected so typos are visible. */
export const EventQuerySchema = z.strictObject({
  classification: z.array(z.enum(CLASSIFICATIONS)).max(CLASSIFICATIONS.length).default([]),
  level: z.array(z.enum(LEVELS)).max(LEVELS.length).default([]),
  component: optionalText(1024),
  templateId: optionalText(256),
  /** Events an incident grouped (`ClassifiedEvent.incidentId`). */
  incidentId: optionalText(256),
  host: optionalText(512),
  /** The log system / format preset the events came from (`ClassifiedEvent.system`, e.g. `openssh`). */
  system: optionalText(128),
  /** The file or stream the events were read from (`ClassifiedEvent.source`), to tell runs and files apart. */
  source: optionalText(4096),
  /** Full-text search on the message, run as `simple_query_string` (never raw `query_string`). */
  q: optionalText(1000),
  range: z.enum(RANGE_NAMES as [RangeName, ...RangeName[]]).default("1h"),
  from: IsoInstantSchema.optional(),
  to: IsoInstantSchema.optional(),
  sort: z.enum(["time", "score"]).default("time"),
  order: z.enum(["desc", "asc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(MAX_RESULT_WINDOW).default(1),
  size: z.coerce.number().int().min(1).max(200).default(50),
}).superRefine((q, ctx) => {
  if (q.range === "custom") {
    if (!q.from) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "is required when range is custom" });
    }
    if (!q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "is required when range is custom" });
    if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "must be before 'to'" });
    }
  }
  if (q.page * q.size > MAX_RESULT_WINDOW) {
    ctx.addIssue({
      code: "custom",
      path: ["page"],
      message:
        `page × size must be at most ${MAX_RESULT_WINDOW}: narrow the filters instead of paging further`,
    });
  }
});

/** Validated explorer parameters. */
export type EventQuery = z.infer<typeof EventQuerySchema>;

/** Thrown for invalid request parameters; routes turn it into a 400 with {@link BadRequestError.message}. */
export class BadRequestError extends Error {
  override name = "BadRequestError";
  /** One line per invalid parameter. */
  readonly problems: string[];
  constructor(problems: string[], options?: ErrorOptions) {
    super(`Invalid request parameters: ${problems.join("; ")}`, options);
    this.problems = problems;
  }
}

/** Turns URL parameters into a plain object, collecting repeatable keys into arrays. */
export function searchParamsToObject(
  params: URLSearchParams,
  multiKeys = MULTI_KEYS,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (multiKeys.has(key)) {
      // Comma-separated values are accepted too: `level=warn,error`.
      const values = value.split(",").map((v) => v.trim()).filter((v) => v.length > 0);
      out[key] = [...((out[key] as string[] | undefined) ?? []), ...values];
    } else if (value !== "") {
      out[key] = value;
    }
  }
  return out;
}

/** Formats zod issues as `name: message` lines; the key is shown as the user typed it. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "";
    if (issue.code === "unrecognized_keys") return `unknown parameter(s): ${issue.keys.join(", ")}`;
    return key ? `${key}: ${issue.message}` : issue.message;
  });
}

/**
 * Validates explorer parameters from a URL.
 *
 * @throws {BadRequestError} naming each invalid parameter
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEventQuery } from "./event_query.ts";
 * const q = parseEventQuery(new URLSearchParams("level=error&q=disk"));
 * assert.deepEqual([q.level, q.q, q.range], [["error"], "disk", "1h"]);
 * ```
 */
export function parseEventQuery(params: URLSearchParams): EventQuery {
  const result = EventQuerySchema.safeParse(searchParamsToObject(params));
  if (!result.success) throw new BadRequestError(describeIssues(result.error), { cause: result.error });
  return result.data;
}

/** The default value of every parameter, to leave defaults out of URLs. */
const DEFAULTS: EventQuery = EventQuerySchema.parse({});

/**
 * Writes a query back as URL parameters, omitting defaults, so links stay short and stable.
 *
 * @param overrides fields to change (e.g. `{ page: 2 }`)
 */
export function toSearchParams(query: EventQuery, overrides: Partial<EventQuery> = {}): URLSearchParams {
  const merged = { ...query, ...overrides } as Record<string, unknown>;
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value) out.append(key, String(v));
    } else if (value !== (DEFAULTS as Record<string, unknown>)[key]) {
      out.set(key, String(value));
    }
  }
  return out;
}
