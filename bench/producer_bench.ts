/**
 * `deno bench bench/producer_bench.ts`: the producer's CPU path per 10,000 synthetic Windows lines, against
 * generating the lines alone (baseline) in the same run — how much line → LogEvent → JSON costs on top.
 * Kafka throughput is measured against Kafka's own tool in bench/producer_throughput.ts.
 *
 * @module
 */
import { eventKey } from "../lib/kafka/kafka_client.ts";
import { LineAssembler } from "../lib/parsing/line_assembler.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { readLines } from "../lib/producer/line_reader.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";

const N = 10_000;
const format = resolveLogFormat("windows");
const lines = (() => {
  const s = new SyntheticWindowsSource({ seed: 1 });
  return Array.from({ length: N }, () => s.next().line);
})();
const bytes = new TextEncoder().encode(lines.join("\n") + "\n");

Deno.bench({ name: "generate 10k synthetic lines", group: "producer", baseline: true }, () => {
  const s = new SyntheticWindowsSource({ seed: 1 });
  for (let i = 0; i < N; i++) s.next();
});

Deno.bench({ name: "bytes → lines (line reader, 10k lines)", group: "producer" }, async () => {
  const stream = new Blob([bytes]).stream();
  let n = 0;
  for await (const _ of readLines(stream)) n++;
  if (n !== N) throw new Error(`read ${n} lines`);
});

Deno.bench({ name: "lines → LogEvent → key + JSON (10k)", group: "producer" }, () => {
  const assembler = new LineAssembler(format, { source: "synthetic:windows", host: "bench" });
  const emit = (e: Parameters<typeof eventKey>[0]) => {
    eventKey(e, ["host", "component"]);
    JSON.stringify(e);
  };
  for (let i = 0; i < N; i++) for (const e of assembler.push({ text: lines[i], lineNo: i + 1 })) emit(e);
  for (const e of assembler.flush()) emit(e);
});
