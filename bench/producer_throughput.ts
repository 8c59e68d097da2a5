/**
 * Producer throughput to the local Kafka, side by side in one run:
 *
 * 1. Kafka's own `org.apache.kafka.tools.ProducerPerformance` (Java, same Kafka version as the stack) sending
 *    vigil's real event JSON (payload file) — the raw limit, the baseline of the ratios;
 * 2. `@platformatic/kafka` (vigil's client) sending the same pre-serialised events;
 * 3. `kafkajs@2.2.4` sending the same pre-serialised events;
 * 4. vigil's whole producer (`runProducer`: synthetic Windows lines → format parsing → LogEvent JSON →
 *    batched idempotent publishing), i.e. what `deno task produce --synthetic windows --rate max` does.
 *
 * All use acks=all, idempotence, 4-partition fresh topics and the same compression. Run:
 * `deno run -A bench/producer_throughput.ts [--events 200000] [--compression zstd] [--rounds 1]`
 * (needs `deno task stack up`; installs the ProducerPerformance jars into .vigil/producer-perf on first use).
 * Prints a Markdown table for bench/README.md. Not a `deno bench` file because the baseline is a JVM process.
 *
 * @module
 */
import { parseArgs } from "node:util";
import zlib from "node:zlib";
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from "kafkajs";
import { parseConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import { createKafkaAdmin, createKafkaProducer, eventKey } from "../lib/kafka/kafka_client.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { runProducer } from "../lib/producer/produce_run.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";
import { ensurePerfJars, PERF_LIB } from "./raw_limits/kafka_perf_tools.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    events: { type: "string", default: "200000" },
    compression: { type: "string", default: "zstd" },
    rounds: { type: "string", default: "1" },
  },
});
const N = Number(values.events);
const compression = values.compression as VigilConfig["kafka"]["compression"];
const rounds = Number(values.rounds);
const config = parseConfig({ kafka: { compression } }, Deno.env.toObject());
const brokers = config.kafka.brokers;
const run = Date.now().toString(36);
const admin = createKafkaAdmin(config);
const topics: string[] = [];

async function freshTopic(name: string): Promise<string> {
  const topic = `bench.producer.${name}.${run}.${topics.length}`;
  await admin.ensureTopic(topic, 4);
  topics.push(topic);
  return topic;
}

/** vigil's events as produced for synthetic Windows lines (what all contenders send). */
function buildEvents(n: number): { key: string; value: string }[] {
  const source = new SyntheticWindowsSource({ seed: 1, anomalies: false });
  const format = resolveLogFormat("windows");
  const out = [];
  for (let i = 0; i < n; i++) {
    const s = source.next();
    const e = lineToEvent({ text: s.line, lineNo: s.lineNo }, format, {
      source: "synthetic:windows",
      host: "bench-host",
    });
    out.push({ key: eventKey(e, config.kafka.keyFields), value: JSON.stringify(e) });
  }
  return out;
}

async function producerPerformance(payloadFile: string, extraProps: string[]): Promise<number> {
  const topic = await freshTopic("java");
  const out = await new Deno.Command("java", {
    args: [
      "-Xmx512m",
      "-cp",
      `${PERF_LIB}/*`,
      "org.apache.kafka.tools.ProducerPerformance",
      "--topic",
      topic,
      "--num-records",
      String(N),
      "--throughput",
      "-1",
      "--payload-file",
      payloadFile,
      "--producer-props",
      `bootstrap.servers=${brokers.join(",")}`,
      "acks=all",
      "enable.idempotence=true",
      `compression.type=${compression}`,
      ...extraProps,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /(\d+) records sent, ([\d.]+) records\/sec/.exec(text.trim().split("\n").at(-1) ?? "");
  if (!out.success || !m) {
    throw new Error(`ProducerPerformance failed:\n${text}\n${new TextDecoder().decode(out.stderr)}`);
  }
  return Number(m[2]);
}

/** Sends pre-built messages in batches of 2000 with 4 requests in flight; returns events/s. */
async function pump(
  messages: { key: string; value: string }[],
  send: (batch: { key: string; value: string }[]) => Promise<unknown>,
) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < messages.length) {
      const batch = messages.slice(next, next + 2000);
      next += 2000;
      await send(batch);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return messages.length / ((performance.now() - started) / 1000);
}

async function platformaticRaw(messages: { key: string; value: string }[]): Promise<number> {
  const topic = await freshTopic("platformatic");
  const producer = createKafkaProducer(config);
  try {
    return await pump(messages, (batch) => producer.send({ messages: batch.map((m) => ({ ...m, topic })) }));
  } finally {
    await producer.close();
  }
}

async function kafkajsRaw(messages: { key: string; value: string }[]): Promise<number | string> {
  const types: Record<string, CompressionTypes | undefined> = {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    zstd: CompressionTypes.ZSTD,
  };
  const type = types[compression];
  if (type === undefined) return `n/a (${compression} unsupported without native codecs)`;
  // kafkajs has no zstd codec of its own; give it the runtime's node:zlib one, as vigil would have to.
  (CompressionCodecs as Record<number, unknown>)[CompressionTypes.ZSTD] = () => ({
    compress: (encoder: { buffer: Uint8Array }) => Promise.resolve(zlib.zstdCompressSync(encoder.buffer)),
    decompress: (buffer: Uint8Array) => Promise.resolve(zlib.zstdDecompressSync(buffer)),
  });
  const topic = await freshTopic("kafkajs");
  const kafka = new Kafka({ clientId: "bench", brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  try {
    return await pump(
      messages,
      (batch) => producer.send({ topic, acks: -1, compression: type, messages: batch }),
    );
  } finally {
    await producer.disconnect();
  }
}

async function vigilProducer(): Promise<number> {
  const topic = await freshTopic("vigil");
  const summary = await runProducer(config, {
    synthetic: "windows",
    rate: Infinity,
    maxEvents: N,
    topic,
    host: "bench-host",
    anomalies: false,
  });
  if (summary.acked !== N) {
    throw new Error(`vigil producer delivered ${summary.acked} of ${N}: ${summary.error}`);
  }
  return summary.eventsPerSecond;
}

await ensurePerfJars();
const messages = buildEvents(N);
const avgBytes = messages.reduce((s, m) => s + m.value.length, 0) / messages.length;
const payloadFile = await Deno.makeTempFile({ suffix: ".jsonl" });
await Deno.writeTextFile(payloadFile, messages.map((m) => m.value).join("\n"));
const results: Record<string, number[]> = { java: [], javaBig: [], platformatic: [], kafkajs: [], vigil: [] };
let kafkajsNote = "";
try {
  for (let r = 0; r < rounds; r++) {
    results.java.push(await producerPerformance(payloadFile, []));
    results.javaBig.push(await producerPerformance(payloadFile, ["batch.size=262144", "linger.ms=5"]));
    results.platformatic.push(await platformaticRaw(messages));
    const k = await kafkajsRaw(messages);
    if (typeof k === "number") results.kafkajs.push(k);
    else kafkajsNote = k;
    results.vigil.push(await vigilProducer());
  }
} finally {
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
  await Deno.remove(payloadFile);
}

const best = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
const baseline = Math.max(best(results.java), best(results.javaBig));
const row = (name: string, xs: number[], note = "") =>
  `| ${name} | ${xs.length ? Math.round(best(xs)).toLocaleString("en-US") : note} | ${
    xs.length ? (best(xs) / baseline).toFixed(2) : "—"
  } |`;
console.log(
  `\n${N.toLocaleString("en-US")} events of ${
    Math.round(avgBytes)
  } B avg (vigil LogEvent JSON), compression ${compression}, acks=all, idempotent, 4 partitions, best of ${rounds} round(s), ${
    new Date().toISOString()
  }\n`,
);
console.log("| Producer | events/s | × ProducerPerformance |");
console.log("|---|---:|---:|");
console.log(row("Kafka ProducerPerformance (Java, defaults)", results.java));
console.log(row("Kafka ProducerPerformance (Java, batch.size=256 KiB)", results.javaBig));
console.log(row("@platformatic/kafka 2.12.1, pre-serialised", results.platformatic));
console.log(row("kafkajs 2.2.4, pre-serialised", results.kafkajs, kafkajsNote));
console.log(row("**vigil producer** (synthetic → parse → JSON → Kafka)", results.vigil));
