/**
 * The product engine (`actors/vigil_pipeline.ts`: Kafka source → parser → classifier pool → hot + cold) as a
 * child process for the end-to-end delivery tests, with a machine-readable status: it prints `READY` once
 * consuming and a `STATUS {json}` line every 500 ms. SIGTERM/SIGINT stop it gracefully; SIGKILL is a crash;
 * SIGUSR2 kills classifier worker 0 as if it crashed (`ClassifierPool.killWorker`, a fault drill: the status's
 * `workerReplacements` and `batchRetries` show the pool replacing it and retrying its batches).
 *
 * Configured by `VIGIL_*` environment variables (topic, group, index prefix, S3 prefix, cold.*, classifier
 * data dir).
 *
 * @module
 */
import { startVigilEngine } from "../actors/vigil_pipeline.ts";
import { jsonLogger } from "../engine/logger.ts";
import { loadConfig } from "../lib/config/vigil_config.ts";

const config = await loadConfig();
// Its lines (an outage, a stall, a recovery) go to stderr, which the tests show when they fail.
const engine = await startVigilEngine({ config, logger: jsonLogger("info", { system: "delivery-engine" }) });
const { source, hot, cold, classifier } = engine;

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
        assigned: s.assigned.length,
        workerReplacements: classifier.workerStats.replacements,
        batchRetries: classifier.workerStats.retries,
      })
    }`,
  );
}, 500);
console.log("READY");

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const report = await engine.stop(20_000);
  clearInterval(status);
  console.log(`STOPPED ${JSON.stringify({ graceful: report.graceful })}`);
  Deno.exit(0);
};
Deno.addSignalListener("SIGTERM", stop);
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGUSR2", () => classifier.killWorker(0));
