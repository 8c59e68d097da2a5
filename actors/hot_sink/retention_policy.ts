/**
 * Hot-tier retention as data: the OpenSearch ISM policy, the Elasticsearch ILM policy, and the rule both
 * encode — a daily `<prefix>-events-*` index is deleted once its creation is older than the retention. Age
 * counts from the index's creation, not from the date in its name (the event time): an index of 2016
 * events written today (the Loghub archives) lives as long as one of today's.
 *
 * @module
 */
import type { HotKind } from "./config.ts";

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** Name of the retention policy of a prefix (ISM policy id / ILM policy name). */
export function retentionPolicyName(prefix: string): string {
  return `${prefix}-events-retention`;
}

/** The index pattern the policy manages: the daily event indices only (never templates or incidents). */
export function retentionIndexPattern(prefix: string): string {
  return `${prefix}-events-*`;
}

/**
 * The minimum index age of the delete phase, in the unit both engines accept (`ms`): days may be fractional
 * (a test's retention of one second is `1 / 86_400` days).
 *
 * @throws {RangeError} when days is not a positive finite number
 */
export function retentionAge(days: number): string {
  if (!Number.isFinite(days) || days <= 0) {
    throw new RangeError(
      `Cannot build a retention policy as days must be positive: current value is ${days}`,
    );
  }
  return `${Math.max(1, Math.round(days * DAY_MS))}ms`;
}

/**
 * The ISM policy body (`PUT _plugins/_ism/policies/<name>`): a `hot` state that moves to `delete` once the
 * index is older than the retention; the `ism_template` attaches it to every new event index by itself.
 */
export function ismPolicy(prefix: string, days: number): Record<string, unknown> {
  return {
    policy: {
      description: `vigil: delete ${retentionIndexPattern(prefix)} indices ${days} days after creation`,
      default_state: "hot",
      states: [
        {
          name: "hot",
          actions: [],
          transitions: [{ state_name: "delete", conditions: { min_index_age: retentionAge(days) } }],
        },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [retentionIndexPattern(prefix)], priority: 100 }],
    },
  };
}

/**
 * The ILM policy body (`PUT _ilm/policy/<name>`); Elasticsearch attaches it through the index setting
 * `index.lifecycle.name` of the events index template (see {@link retentionIndexSettings}).
 */
export function ilmPolicy(days: number): Record<string, unknown> {
  return {
    policy: {
      phases: {
        hot: { min_age: "0ms", actions: {} },
        delete: { min_age: retentionAge(days), actions: { delete: {} } },
      },
    },
  };
}

/**
 * Settings the events index template carries for retention: Elasticsearch's `index.lifecycle.name` (ILM
 * attaches by setting); none for OpenSearch (ISM attaches by its `ism_template`) or when data is kept for ever.
 */
export function retentionIndexSettings(prefix: string, kind: HotKind, days: number): Record<string, unknown> {
  return kind === "elasticsearch" && days > 0 ? { "index.lifecycle.name": retentionPolicyName(prefix) } : {};
}

/** True when an index created at `createdMs` is past a retention of `days` at `nowMs` (0 = kept for ever). */
export function isExpired(createdMs: number, days: number, nowMs: number): boolean {
  return days > 0 && nowMs - createdMs >= days * DAY_MS;
}
