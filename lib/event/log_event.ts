/**
 * The one event schema shared by the producer, the engine's actors, the sinks and the dashboard.
 *
 * An event passes through three stages and gains fields at each:
 * 1. {@link LogEvent} — what the producer publishes to Kafka (a parsed line).
 * 2. {@link MinedEvent} — after the parser's online template mining.
 * 3. {@link ClassifiedEvent} — after the classifier.
 *
 * The schema is versioned by {@link LOG_EVENT_SCHEMA_VERSION}; a breaking change bumps it.
 *
 * @module
 */
import { z } from "zod";

/** Version of the event schema carried in every event as `v`. */
export const LOG_EVENT_SCHEMA_VERSION = 1;

/** Normalised severity levels, ordered from least to most severe. */
export const LEVELS = ["trace", "debug", "info", "notice", "warn", "error", "critical", "fatal"] as const;
/** A normalised severity level. */
export type Level = typeof LEVELS[number];

/** Labels the classifier gives, ordered from least to most severe. */
export const CLASSIFICATIONS = ["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"] as const;
/** A classifier label. */
export type Classification = typeof CLASSIFICATIONS[number];

/** Why a line could not be turned into a clean event; the raw line is always kept. */
export const EVENT_FLAGS = [
  "parse_error", // the line did not match the format
  "truncated", // the line was longer than the configured limit and was cut
  "invalid_utf8", // invalid byte sequences were replaced with U+FFFD
  "binary", // NUL or other control bytes were found and replaced
  "ts_from_ingest", // no usable timestamp in the line: `ts` is the ingest time
  "multiline", // continuation lines were attached to this event
  "level_inferred", // the line has no level field: `level` was read from its words (weak evidence)
] as const;
/** A flag describing a repair made while parsing a line. */
export type EventFlag = typeof EVENT_FLAGS[number];

/** Schema of an event as published to Kafka by the producer. */
export const LogEventSchema = z.object({
  v: z.literal(LOG_EVENT_SCHEMA_VERSION),
  /** Stable id: derived from source + line number (+ loop), so a re-produce of the same file gives the same ids. */
  id: z.string().min(1).max(256),
  /** Event time from the line itself, ISO 8601 UTC; ingest time when the line has none (flag `ts_from_ingest`). */
  ts: z.iso.datetime(),
  /** When the producer read the line, ISO 8601 UTC. */
  ingestTs: z.iso.datetime(),
  host: z.string().max(512),
  /** Where the line came from: a file path, `stdin`, or `synthetic:<name>`. */
  source: z.string().max(4096),
  /** The log system / format preset, e.g. `windows`, `hdfs`, or `custom`. */
  system: z.string().max(128),
  level: z.enum(LEVELS),
  component: z.string().max(1024),
  /** The message part of the line (`<Content>`). */
  content: z.string(),
  /** The other named fields of the format, by name. */
  fields: z.record(z.string(), z.string()),
  /** 1-based line number in the source (of the first line, for multi-line events). */
  lineNo: z.number().int().nonnegative(),
  /** The original line(s), repaired only as the flags say. */
  raw: z.string(),
  flags: z.array(z.enum(EVENT_FLAGS)),
  /** Present when the line did not match the format: what went wrong. */
  parseError: z.string().optional(),
});
/** An event as published to Kafka by the producer. */
export type LogEvent = z.infer<typeof LogEventSchema>;

/** Fields the parser's template miner adds. */
export const MinedFieldsSchema = z.object({
  /** Stable id derived from the template text (same in every engine process and across restarts). */
  templateId: z.string(),
  /** The template, variables shown as `<*>`. */
  template: z.string(),
  /** The values that the template's `<*>` stand for, in order. */
  params: z.array(z.string()),
});
/** An event after template mining. */
export type MinedEvent = LogEvent & z.infer<typeof MinedFieldsSchema>;

/** Fields the classifier adds. */
export const ClassifiedFieldsSchema = z.object({
  classification: z.enum(CLASSIFICATIONS),
  /** Anomaly score in [0, 1]. */
  score: z.number().min(0).max(1),
  /** Short human-readable reasons, most important first. */
  reasons: z.array(z.string()),
  modelVersion: z.string(),
  /** The incident this event belongs to (`lib/incidents`), when it is flagged. */
  incidentId: z.string().optional(),
});
/** An event after classification: what the sinks store and the dashboard shows. */
export type ClassifiedEvent = MinedEvent & z.infer<typeof ClassifiedFieldsSchema>;

/** Where an event came from in Kafka: the basis of idempotent document ids and offset commits. */
export interface KafkaCoordinates {
  topic: string;
  partition: number;
  offset: string;
}
