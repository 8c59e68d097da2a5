/**
 * Reads one sample out of a Prometheus text exposition (what `/metrics` serves), so a test can assert a counter's
 * exact value.
 *
 * @module
 */

/**
 * The value of one sample, named with its labels exactly as exposed, e.g.
 * `vigil_ingest_events_total{receiver="syslog_udp",outcome="accepted"}`.
 *
 * @param text a Prometheus text exposition
 * @param sample the metric name with its label set, as it appears before the value
 * @returns the value, or 0 when the sample is absent (a counter never incremented is not exposed)
 *
 * @example
 * ```ts
 * import { promSample } from "./prometheus_sample.ts";
 * const text = 'x_total{a="1"} 3\nx_total{a="2"} 4\n';
 * if (promSample(text, 'x_total{a="2"}') !== 4) throw new Error("wrong sample");
 * ```
 */
export function promSample(text: string, sample: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
