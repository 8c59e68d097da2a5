/**
 * A delivery-only engine process for the end-to-end delivery tests: KafkaSource → a stand-in enrichment stage
 * → fan-out to HotSink and ColdSink, on the real engine runtime. The stand-in marks every event NORMAL with a
 * content-derived template id; it is not vigil's parser or classifier (the product wiring lives in cli/), it
 * only lets these tests check delivery (counts, ids, commits) on their own.
 *
 * Configured by `VIGIL_*` environment variables (topic, group, index prefix, S3 prefix, cold.*). Prints
 * `READY` once consuming and a `STATUS {json}` line every 500 ms. SIGTERM/SIGINT stop it gracefully.
 *
 * @module
 */
import { ActorSystem } from "../../engine/actor_system.ts";
import { silentLogger } from "../../engine/logger.ts";
import { Pipeline } from "../../engine/pipeline.ts";
import { sendAll } from "../../engine/send_all.ts";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import type { ClassifiedEvent, LogEvent } from "../../lib/event/log_event.ts";
import { KafkaSource } from "../../actors/kafka_source.ts";
import { DeadLetterProducer } from "../../actors/dead_letter_producer.ts";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import { hotSinkOptionsFromConfig } from "../../actors/hot_sink/config.ts";
import { hotSinkNode } from "../../actors/hot_sink/hot_sink_actor.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "../../actors/cold_sink/config.ts";
import { coldSinkNode } from "../../actors/cold_sink/cold_sink_actor.ts";
import type { DeliveryRecord, Sourced } from "../../actors/delivery_record.ts";

function standIn(event: LogEvent): ClassifiedEvent {
  const template = event.content.replace(/\d+/g, "<*>");
  let h = 0;
  for (let i = 0; i < template.length; i++) h = (h * 31 + template.charCodeAt(i)) | 0;
  return {
    ...event,
    templateId: `t${(h >>> 0).toString(16)}`,
    template,
    params: [],
    classification: "NORMAL",
    score: 0,
    reasons: [],
    modelVersion: "delivery-test",
  };
}

const config = await loadConfig();
const deadLetters = new DeadLetterProducer(config);
const source = new KafkaSource({
  config,
  deadLetters,
  commitIntervalMs: config.delivery.commitIntervalMs,
  maxInFlight: config.delivery.maxInFlight,
  log: (m) => console.error(m),
});
const hot = new HotSink({ ...hotSinkOptionsFromConfig(config), deadLetters, log: (m) => console.error(m) });
const cold = new ColdSink({
  ...coldSinkOptionsFromConfig(config),
  onAck: (a) => source.ack(a),
  log: (m) => console.error(m),
});
await hot.start();
await cold.start();

const system = new ActorSystem({ name: "delivery-test", logger: silentLogger });
const pipeline = Pipeline.start(system, {
  nodes: {
    kafka: { kind: "source", create: () => source },
    enrich: {
      kind: "stage",
      create: (out) => ({
        receiveBatch: (msgs: Sourced<LogEvent>[]) =>
          sendAll(out, msgs.map((m): DeliveryRecord => ({ event: standIn(m.event), kafka: m.kafka }))),
      }),
    },
    hot: hotSinkNode(hot, (acks) => source.ack(acks)),
    cold: coldSinkNode(cold),
  },
  edges: [
    { from: "kafka", to: "enrich", mailbox: { capacity: 2048, whenFull: "block" } },
    { from: "enrich", to: ["hot", "cold"], mailbox: { capacity: 2048, whenFull: "block" } },
  ],
});

const status = setInterval(() => {
  const s = source.metrics;
  console.log(
    `STATUS ${
      JSON.stringify({
        consumed: s.consumed,
        inFlight: s.inFlight,
        paused: s.paused,
        hot: hot.metrics.delivered,
        hotHealthy: hot.metrics.healthy,
        cold: cold.metrics.delivered,
        coldHealthy: cold.metrics.healthy,
        partitions: s.partitions.map((p) => p.partition).sort(),
      })
    }`,
  );
}, 500);
console.log("READY");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const report = await pipeline.stop({ deadlineMs: 20_000 });
  clearInterval(status);
  await hot.close(1000);
  await cold.close(1000);
  await deadLetters.close();
  console.log(`STOPPED ${JSON.stringify({ graceful: report.graceful })}`);
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
