/**
 * The chaos scenarios: each injects one fault while events with known ids are produced. Outages cut the
 * network with a TCP proxy between the engine and the service (testing/tcp_proxy.ts), so the shared
 * OpenSearch and S3 keep serving everyone else; the broker restart uses a throwaway broker of its own; the
 * 429 scenario blocks only the scenario's own indices.
 *
 * @module
 */
import { TcpProxy } from "../../testing/tcp_proxy.ts";
import { committedOffsets } from "../../testing/kafka_test_topics.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { FEATURE_SPEC_ID } from "../../lib/classification/feature_spec.ts";
import { EventMaker } from "../suite/event_feeder.ts";
import { BulkObserver } from "./bulk_observer.ts";
import { type HotLatencies, hotLatencies } from "./hot_latency.ts";
import type { ChaosContext, ChaosScenario, HostileItem } from "./chaos_harness.ts";
import { DeliveryEngineChild } from "./delivery_engine_child.ts";
import { ThrowawayKafka } from "../../testing/throwaway_kafka.ts";

/** Options shared by the scenarios. */
export interface ScenarioOptions {
  /** Length of the OpenSearch / S3 outages, s. Default 30. */
  outageSeconds: number;
  /** kill -9 count in the crash scenario. Default 3. */
  kills: number;
}

/** Waits until the current engine has delivered at least `n` events to the hot tier (max 60 s). */
async function delivered(ctx: ChaosContext, n: number): Promise<void> {
  await ctx.engine.until((s) => s.hot >= n, 60_000);
}

/** kill -9 the engine `kills` times while events flow, restarting it each time. */
export function killScenario(kills: number): ChaosScenario {
  return {
    name: `kill9x${kills}`,
    rate: 500,
    seconds: 6 + 5 * kills,
    async fault(ctx) {
      for (let k = 0; k < kills; k++) {
        await delivered(ctx, 300);
        await ctx.sleep(500 + Math.random() * 1000);
        const s = ctx.engine.status;
        ctx.note(`kill -9 #${k + 1}: engine had consumed ${s?.consumed}, hot ${s?.hot}, cold ${s?.cold}`);
        await ctx.engine.kill9();
        await ctx.restart();
      }
    },
  };
}

/** SIGTERM mid-run (the graceful path: drain, flush, commit), then a new engine. */
export function sigtermScenario(): ChaosScenario {
  return {
    name: "sigterm",
    rate: 500,
    seconds: 12,
    async fault(ctx) {
      await delivered(ctx, 1000);
      const t = performance.now();
      const status = await ctx.engine.stop();
      ctx.note(`SIGTERM: exit code ${status.code} after ${((performance.now() - t) / 1000).toFixed(1)} s`);
      if (status.code !== 0) throw new Error(`graceful stop failed with exit code ${status.code}`);
      await ctx.restart();
    },
  };
}

/** A service unreachable for `seconds` (its TCP proxy cut), events flowing meanwhile. */
function outageScenario(
  name: string,
  target: { hostname: string; port: number },
  envKey: string,
  scheme: string,
  seconds: number,
): ChaosScenario {
  let proxy: TcpProxy | undefined;
  return {
    name,
    rate: 400,
    seconds: seconds + 10,
    setup() {
      proxy = TcpProxy.start(target);
      return { [envKey]: `${scheme}://127.0.0.1:${proxy.port}` };
    },
    async fault(ctx) {
      await delivered(ctx, 500);
      proxy!.down();
      ctx.note(`${name}: cut at ${ctx.produced()} produced`);
      await ctx.sleep(seconds * 1000);
      const s = ctx.engine.status;
      ctx.note(
        `${name}: restored after ${seconds} s; engine then: consumed ${s?.consumed}, hot ${s?.hot}, cold ${s?.cold}, paused ${s?.paused}, hot healthy ${s?.hotHealthy}, cold healthy ${s?.coldHealthy}`,
      );
      proxy!.up();
    },
    teardown() {
      proxy?.down();
    },
  };
}

/** OpenSearch unreachable for `seconds`. */
export function opensearchOutage(seconds: number): ChaosScenario {
  return outageScenario(
    `opensearch-down-${seconds}s`,
    { hostname: "127.0.0.1", port: 9200 },
    "VIGIL_HOT_URL",
    "http",
    seconds,
  );
}

/** S3 unreachable for `seconds`. */
export function s3Outage(seconds: number): ChaosScenario {
  return outageScenario(
    `s3-down-${seconds}s`,
    { hostname: "127.0.0.1", port: 7070 },
    "VIGIL_S3_ENDPOINT",
    "http",
    seconds,
  );
}

/** `length` characters of random base64 text (incompressible enough that zstd keeps most of its size). */
function randomText(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(48_000));
    out += btoa(String.fromCharCode(...bytes));
  }
  return out.slice(0, length);
}

/**
 * A bad-input corpus mixed into a normal stream: not JSON, binary, invalid UTF-8, NUL bytes, JSON that is not
 * a LogEvent, and LogEvents with HTML/script, hostile field names (`_id`, `__proto__`, dots), 2 000 fields,
 * timestamps in the far past/future, a ~900 KB line, lines built to make a backtracking parser stall, and a 1 MB
 * JSON message that is not a LogEvent (random text, so compression does not shrink it: its dead-letter
 * envelope, ≈ 2.3× the message, once exceeded the broker's 1 MiB and stalled the partition; now it is capped
 * and flagged `truncated`). Each must be delivered or dead-lettered, exactly once.
 *
 * And on time: a hostile line must not stall the partition it lands on. The hot-tier latency of good events
 * produced just *after* the hostile messages (they queue behind them) is compared with that of good events
 * just *before* (the baseline, same run, same load): the stream is late when the slowest after-event took more
 * than {@link LATE_FACTOR} × the slowest baseline event.
 */
export function badInputScenario(): ChaosScenario {
  return {
    name: "bad-input",
    rate: 300,
    seconds: 10,
    async fault(ctx) {
      await ctx.sleep(2500); // past the engine's first bulk requests and index creation
      const baseline = await sampleLatencies(ctx);
      const maker = new EventMaker("bad-input-hostile-");
      let n = 0;
      const event = (what: string, patch: (e: LogEvent) => void): HostileItem => {
        const e = maker.make(n++);
        patch(e);
        return { key: e.id, value: JSON.stringify(e), mustDeadLetter: false, what };
      };
      const garbage = (what: string, value: string | Uint8Array): HostileItem => ({
        key: `bad-input-garbage-${n++}`,
        value,
        mustDeadLetter: true,
        what,
      });
      const binary = new Uint8Array(512);
      crypto.getRandomValues(binary);
      const items: HostileItem[] = [
        garbage("not JSON", "this is not json"),
        garbage("truncated JSON", '{"v":1,"id":"x"'),
        garbage("binary", binary),
        garbage("invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x7d])),
        garbage("NUL bytes", "\u0000\u0000{\u0000}"),
        garbage("JSON null", "null"),
        garbage("JSON array", "[1,2,3]"),
        garbage("JSON without LogEvent fields", '{"hello":"world"}'),
        garbage("empty", ""),
        garbage("1 MB JSON, not a LogEvent", JSON.stringify({ blob: randomText(1_000_000 - 11) })),
        event("HTML/script content", (e) => {
          e.content = `<script>alert("x")</script><img src=x onerror=alert(1)> ${e.content}`;
        }),
        event("hostile field names", (e) => {
          e.fields = JSON.parse(
            '{"_id":"x","__proto__":"p","constructor":"c","a.b.c":"d","":"empty","_source":"s"}',
          );
        }),
        event("2000 fields", (e) => {
          e.fields = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, `v${i}`]));
        }),
        event("far past timestamp", (e) => {
          e.ts = "0001-01-01T00:00:00.000Z";
        }),
        event("far future timestamp", (e) => {
          e.ts = "9999-12-31T23:59:59.999Z";
        }),
        event("NUL and U+FFFD in content", (e) => {
          e.content = `a\u0000b\uFFFDc ${e.content}`;
        }),
        event("~900 KB content", (e) => {
          e.content = "x".repeat(900_000);
          e.raw = e.content;
        }),
        // Lines built to make a backtracking parser stall (issue 12): what froze the format regex for minutes
        // (an HDFS header with no `: ` and 300 words), and what was quadratic in the masks (`a=` then dots, a
        // 64 KiB token of digits and punctuation). The engine mines `content`; each must pass in bounded time.
        event("HDFS header without ': ' and 300 words", (e) => {
          e.content = `081109 203615 148 INFO dfs.DataNode ${"x ".repeat(300).trim()}`;
          e.raw = e.content;
        }),
        event("a= then 20k dots", (e) => {
          e.content = `a=${".".repeat(20_000)}x`;
          e.raw = e.content;
        }),
        event("64 KiB token of digits and punctuation", (e) => {
          e.content = "1.2,".repeat(16_384);
          e.raw = e.content;
        }),
      ];
      await ctx.sendHostile(items);
      const hostileAckedMs = Date.now();
      ctx.note(`sent ${items.length} hostile messages`);
      // Only events made after Kafka took the hostile messages queue behind them.
      const sampled = await sampleLatencies(ctx);
      const after = sampled.found.filter((f) => f.ingestMs >= hostileAckedMs).map((f) => f.latencyMs);
      const before = baseline.found.map((f) => f.latencyMs);
      const deadline = LATE_FACTOR * Math.max(...before);
      const slowest = Math.max(...after);
      ctx.observe("baseline max ms", Math.round(Math.max(...before)));
      ctx.observe("after hostile max ms", Math.round(slowest));
      ctx.observe("deadline ms", Math.round(deadline));
      ctx.observe("after / baseline", Math.round((slowest / Math.max(...before)) * 10) / 10);
      ctx.note(
        `on time: ${after.length} good events made after the hostile ones, slowest ${
          Math.round(slowest)
        } ms ` +
          `(median ${Math.round(median(after))}); baseline before them: ${before.length}, slowest ${
            Math.round(Math.max(...before))
          } ms (median ${Math.round(median(before))}); deadline ${LATE_FACTOR} × baseline = ${
            Math.round(deadline)
          } ms`,
      );
      const missing = baseline.missing.length + sampled.missing.length;
      if (missing > 0 || after.length < SAMPLE_SIZE / 2 || !(slowest <= deadline)) {
        ctx.late(
          `slowest good event after the hostile ones ${Math.round(slowest)} ms vs deadline ${
            Math.round(deadline)
          } ms; sampled after them ${after.length} of ${SAMPLE_SIZE}; not seen within ${
            SAMPLE_TIMEOUT_MS / 1000
          } s: ${missing}`,
        );
      }
    },
  };
}

/**
 * How much slower than the baseline the events after the hostile ones may be. Legitimate work slows them: the
 * hostile messages carry ~2 MB to index, mine or dead-letter, and the baseline is short (150–630 ms here,
 * one poll's resolution at best), so the slowest after-event measured ×1.6–×4.8 the slowest baseline one over
 * eight runs on 2026-12-04 (two shared cores). A stall is what this is for — the backtracking regex froze the
 * parser for minutes, ×1000 — and at ×10 a stall of 2–3 s or more fails the scenario.
 */
const LATE_FACTOR = 10;
/** Events sampled per latency measurement, every `SAMPLE_STRIDE`-th id (so they span several batches). */
const SAMPLE_SIZE = 40;
const SAMPLE_STRIDE = 5;
const SAMPLE_TIMEOUT_MS = 60_000;

/** Latencies of events the producer is about to make: ids from just past what Kafka acknowledged so far. */
function sampleLatencies(ctx: ChaosContext): Promise<HotLatencies> {
  const first = ctx.produced() + 30; // past the sends in flight, so (almost always) made after this call
  const ids = Array.from({ length: SAMPLE_SIZE }, (_, k) => ctx.idOf(first + k * SAMPLE_STRIDE));
  return hotLatencies(ctx.scenario.config, ids, SAMPLE_TIMEOUT_MS);
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Kafka broker restarted mid-run — on a throwaway single-node broker (same jars, own ports and data), never the
 * shared one: the test producer pauses (its sends would fail, not the engine's), the broker is stopped with
 * `signal` (SIGTERM: controlled shutdown; SIGKILL: a crash), kept down `downSeconds`, restarted; the engine
 * keeps running throughout and must reconnect.
 */
export function kafkaRestartScenario(signal: "SIGTERM" | "SIGKILL", downSeconds = 5): ChaosScenario {
  let broker: ThrowawayKafka | undefined;
  return {
    name: `kafka-restart-${signal === "SIGTERM" ? "term" : "kill9"}`,
    rate: 400,
    seconds: 14,
    async setup() {
      broker = await ThrowawayKafka.start();
      return { VIGIL_KAFKA_BROKERS: broker.endpoint };
    },
    async fault(ctx) {
      await delivered(ctx, 1500);
      const resume = await ctx.pauseProducing();
      const s = ctx.engine.status;
      ctx.note(`broker ${signal} at ${ctx.produced()} produced (engine: hot ${s?.hot}, cold ${s?.cold})`);
      const t = performance.now();
      await broker!.stop(signal);
      await ctx.sleep(downSeconds * 1000);
      await broker!.launch();
      const down = (performance.now() - t) / 1000;
      ctx.observe("broker down s", Math.round(down * 10) / 10);
      resume();
      // The engine must be the same process: a restart of the broker is not a restart of the engine.
      const exited = await Promise.race([
        ctx.engine.exited.then(() => true),
        ctx.sleep(100).then(() => false),
      ]);
      if (exited) {
        throw new Error(`the engine exited during the broker restart:\n${ctx.engine.stderr.slice(-800)}`);
      }
      const after = ctx.engine.status;
      ctx.note(
        `broker down ${
          down.toFixed(1)
        } s (restart included); the same engine process ran throughout (then hot ${after?.hot}, cold ${after?.cold})`,
      );
    },
    async teardown() {
      await broker?.destroy();
    },
  };
}

/**
 * OpenSearch answering 429 for `seconds`: the scenario's own event indices get OpenSearch's flood-stage
 * block (`index.blocks.read_only_allow_delete`, what a full disk triggers), so every bulk item is rejected
 * by OpenSearch itself with `429 TOO_MANY_REQUESTS / cluster_block_exception`; nobody else's index is
 * touched and the block is lifted in a finally block. A pass-through observer counts the 429 items the hot
 * sink received.
 */
export function opensearch429Scenario(seconds: number): ChaosScenario {
  let observer: BulkObserver | undefined;
  const target = "http://127.0.0.1:9200";
  return {
    name: `opensearch-429-${seconds}s`,
    rate: 400,
    seconds: seconds + 10,
    setup() {
      observer = new BulkObserver(target);
      return { VIGIL_HOT_URL: observer.url };
    },
    async fault(ctx) {
      await delivered(ctx, 500);
      const index = `${ctx.scenario.config.hot.indexPrefix}-events-*`;
      const block = async (on: boolean) => {
        const res = await fetch(`${target}/${index}/_settings`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ "index.blocks.read_only_allow_delete": on ? true : null }),
        });
        if (!res.ok) {
          throw new Error(`setting the block on ${index} failed: ${res.status} ${await res.text()}`);
        }
        await res.body?.cancel();
      };
      const before = observer!.counts.items["429"] ?? 0;
      try {
        await block(true);
        ctx.note(`flood-stage block on ${index} at ${ctx.produced()} produced`);
        await ctx.sleep(seconds * 1000);
      } finally {
        await block(false);
      }
      const c = observer!.counts;
      const n429 = (c.items["429"] ?? 0) - before;
      ctx.observe("429 items", n429);
      ctx.note(
        `block lifted after ${seconds} s; the hot sink received ${n429} bulk items answered 429 (${c.requests} _bulk requests in all; items by status ${
          JSON.stringify(c.items)
        })`,
      );
      if (n429 === 0) throw new Error("OpenSearch answered no 429 while blocked: the fault did not happen");
    },
    async teardown() {
      await observer?.close();
    },
  };
}

/**
 * A classifier worker killed mid-run with batches in flight, `kills` times (the delivery engine kills worker 0
 * on SIGUSR2): the pool must replace it and retry its in-flight batches.
 */
export function workerKillScenario(kills: number): ChaosScenario {
  return {
    name: `worker-kill-x${kills}`,
    engine: "delivery",
    rate: 500,
    seconds: 6 + 4 * kills,
    async fault(ctx) {
      const engine = ctx.engine;
      if (!(engine instanceof DeliveryEngineChild)) throw new Error("worker kills need the delivery engine");
      for (let k = 1; k <= kills; k++) {
        await delivered(ctx, 400 * k);
        await ctx.sleep(Math.random() * 1000);
        // A kill tests the retry only when the worker holds a batch: an idle worker is just replaced. Kill again
        // (every replacement counts) until one kill caught a batch in flight.
        for (let attempt = 1;; attempt++) {
          const before = engine.status!;
          engine.signal("SIGUSR2");
          if (!await engine.until((s) => s.workerReplacements > before.workerReplacements, 10_000)) {
            throw new Error(`worker kill #${k}: the pool did not report a replacement`);
          }
          if (engine.status!.batchRetries > before.batchRetries) break;
          if (attempt === 20) throw new Error(`worker kill #${k}: no batch in flight in 20 kills`);
          await ctx.sleep(50 + Math.random() * 200);
        }
      }
      await ctx.sleep(2000);
      const s = engine.status!;
      ctx.observe("workers replaced", s.workerReplacements);
      ctx.observe("batches retried", s.batchRetries);
      ctx.note(`${s.workerReplacements} workers replaced, ${s.batchRetries} batches retried`);
    },
  };
}

/**
 * The model file replaced by garbage on restart: the engine (SIGTERM'd mid-run) is started again on a model
 * whose bytes are garbage; it must exit non-zero with a message naming the file and the expected feature
 * spec, having committed nothing; then, with the good model restored, a new engine catches up.
 */
export function garbageModelScenario(): ChaosScenario {
  let dir: string | undefined;
  const good = new URL("../../models/classifier", import.meta.url).pathname;
  return {
    name: "garbage-model",
    rate: 400,
    seconds: 14,
    async setup() {
      dir = await Deno.makeTempDir({ prefix: "vigil-chaos-model-" });
      await Deno.copyFile(`${good}.onnx`, `${dir}/classifier.onnx`);
      await Deno.copyFile(`${good}.meta.json`, `${dir}/classifier.meta.json`);
      return { VIGIL_CLASSIFIER_MODEL_PATH: `${dir}/classifier.onnx` };
    },
    async fault(ctx) {
      const model = `${dir}/classifier.onnx`;
      await delivered(ctx, 1000);
      const stopped = await ctx.engine.stop();
      if (stopped.code !== 0) throw new Error(`graceful stop failed with exit code ${stopped.code}`);
      const committed = await committedOffsets(ctx.scenario.config);
      await Deno.writeFile(model, crypto.getRandomValues(new Uint8Array(64 * 1024)));
      const t = performance.now();
      const refused = ctx.launch({ NO_COLOR: "1" }); // plain stderr for the notes
      const status = await Promise.race([refused.exited, ctx.sleep(60_000).then(() => undefined)]);
      if (status === undefined) throw new Error("the engine did not exit within 60 s on a garbage model");
      const line = refused.stderr.split("\n").find((l) => l.includes("Cannot load classifier model")) ?? "";
      const after = await committedOffsets(ctx.scenario.config);
      ctx.observe("refused exit code", status.code);
      ctx.note(
        `garbage model: exit code ${status.code} after ${((performance.now() - t) / 1000).toFixed(1)} s: "${
          line.trim().slice(0, 400)
        }"; committed offsets ${
          JSON.stringify(after) === JSON.stringify(committed) ? "unchanged" : "CHANGED"
        }`,
      );
      if (status.code === 0) throw new Error("the engine exited 0 on a garbage model");
      if (!line.includes(model) || !line.includes(FEATURE_SPEC_ID)) {
        throw new Error(
          `the refusal does not name ${model} and ${FEATURE_SPEC_ID}:\n${refused.stderr.slice(-800)}`,
        );
      }
      if (JSON.stringify(after) !== JSON.stringify(committed)) {
        throw new Error(`the refused engine committed offsets: ${committed} → ${after}`);
      }
      await Deno.copyFile(`${good}.onnx`, model);
      await ctx.restart();
    },
    async teardown() {
      if (dir) await Deno.remove(dir, { recursive: true });
    },
  };
}
