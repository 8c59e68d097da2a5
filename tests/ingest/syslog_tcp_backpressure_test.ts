/**
 * Back-pressure of the syslog TCP receiver, with a real sender: util-linux `logger --tcp` (a client no one here
 * wrote) sends two files of 3,000 lines of ~2 KiB each over two connections while the broker is frozen (SIGSTOP
 * on a throwaway broker, {@link ThrowawayKafka.pause}: Kafka takes nothing). The receiver must stop reading, and the
 * test proves it from the kernel's side (`/proc/net/tcp`, `/proc/<pid>/syscall`), not from the receiver's word:
 *
 * - each receiving socket has unread bytes queued (`rx_queue` > 0) and each sending socket has bytes it could not
 *   hand over (`tx_queue` > 0), while both `logger`s sit in `sendmsg` — their writes block;
 * - the receiver holds at most one read's events per connection: the first connection's read waits for Kafka,
 *   the second one's is refused by `ingest.maxPendingEvents` (1: whatever the first read holds, a second read
 *   is refused while it waits) and counted as a pause on `/metrics`; more pauses follow and nothing is
 *   acknowledged meanwhile.
 *
 * Then the broker carries on ({@link ThrowawayKafka.resume}): reads resume, both `logger`s finish, and an engine
 * consumes the topic into the hot tier, where every line is exactly once.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { startIngestService } from "../../lib/ingest/ingest_service.ts";
import { dropTiers, engineEnv, EngineProcess } from "../../testing/engine_process.ts";
import { promSample } from "../../testing/prometheus_sample.ts";
import { settledHotTier } from "../../testing/settled_hot_tier.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { ThrowawayKafka } from "../../testing/throwaway_kafka.ts";
import { until } from "../../testing/until.ts";

const LINES = 3000;
const PAD = "x".repeat(2000);
const WARM_UP = 10;
/** x86_64 numbers of the system calls a sender blocks in when the socket's buffer is full. */
const SEND_SYSCALLS = new Set(["1", "20", "44", "46"]); // write, writev, sendto, sendmsg

/** Established TCP sockets on 127.0.0.1 with their queues, from `/proc/net/tcp`. */
async function tcpSockets(): Promise<{ local: number; remote: number; txQueue: number; rxQueue: number }[]> {
  const rows = (await Deno.readTextFile("/proc/net/tcp")).split("\n").slice(1);
  return rows.map((r) => r.trim().split(/\s+/)).filter((f) => f[3] === "01").map((f) => {
    const [tx, rx] = f[4].split(":").map((h) => parseInt(h, 16));
    return {
      local: parseInt(f[1].split(":")[1], 16),
      remote: parseInt(f[2].split(":")[1], 16),
      txQueue: tx,
      rxQueue: rx,
    };
  });
}

/** The system call a process is blocked in (its number), or undefined when it runs or is gone. */
async function blockedIn(pid: number): Promise<string | undefined> {
  const text = await Deno.readTextFile(`/proc/${pid}/syscall`).catch(() => "running");
  return text === "running" ? undefined : text.split(" ")[0];
}

Deno.test({
  name:
    "syslog TCP while Kafka is frozen: the receiver stops reading at its in-flight bound, logger's writes block, both resume; exact counts in the hot tier",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const broker = await ThrowawayKafka.start();
    const ns = testNamespace("ingest-backpressure");
    const config = parseConfig({
      kafka: {
        brokers: [broker.endpoint],
        topic: "ingest.backpressure",
        partitions: 2,
        groupId: `group-${ns.tag}`,
      },
      ...namespaceSettings(ns),
      // 1, not more: a first read may return only a few frames (logger writes line by line), and two such reads
      // could both fit under a larger limit — then no read would be refused.
      ingest: { maxPendingEvents: 1 },
    }, Deno.env.toObject());
    const dir = await Deno.makeTempDir({ prefix: "vigil-backpressure-" });
    const service = await startIngestService(config, {
      topic: config.kafka.topic,
      httpPort: 0,
      syslogTcpPort: 0,
    });
    const engine = new EngineProcess(engineEnv(config, { VIGIL_KAFKA_BROKERS: broker.endpoint }));
    const port = service.syslogTcpPort!;
    const logger = (file: string) =>
      new Deno.Command("logger", {
        args: [
          "--server",
          "127.0.0.1",
          "--port",
          String(port),
          "--tcp",
          "--rfc5424",
          "--size",
          "4096",
          "-f",
          file,
        ],
        stdout: "null",
        stderr: "piped",
      }).spawn();
    const metrics = () => service.metrics.registry.metrics();
    let paused = false;
    try {
      await engine.ready(120_000);
      await Deno.writeTextFile(
        `${dir}/warm.log`,
        Array.from({ length: WARM_UP }, (_, i) => `warm ${i}`).join("\n"),
      );
      assert.equal((await logger(`${dir}/warm.log`).status).code, 0);
      await until(() => service.metrics.counts.accepted === WARM_UP, {
        what: "the warm-up lines acknowledged",
      });

      await broker.pause();
      paused = true;
      const senders = await Promise.all(["a", "b"].map(async (name) => {
        const file = `${dir}/${name}.log`;
        await Deno.writeTextFile(
          file,
          Array.from({ length: LINES }, (_, i) => `${name} line ${i} ${PAD}`).join("\n") + "\n",
        );
        const child = logger(file);
        let exited = false;
        const status = child.status.then((s) => {
          exited = true;
          return s;
        });
        return { child, status, exited: () => exited };
      }));
      // Reads stopped: bytes wait unread at the receiver, the senders cannot hand over theirs, and both block in a
      // send call — while the receiver holds one read of one connection for Kafka and refuses the other's.
      let seen = "";
      const blocked = async () => {
        const sockets = await tcpSockets();
        const receiving = sockets.filter((s) => s.local === port);
        const sending = sockets.filter((s) => s.remote === port);
        const calls = await Promise.all(senders.map((s) => blockedIn(s.child.pid)));
        seen = JSON.stringify({ receiving, sending, calls });
        return receiving.length === 2 && receiving.every((s) => s.rxQueue > 0) &&
          sending.length === 2 && sending.every((s) => s.txQueue > 0) &&
          calls.every((c) => c !== undefined && SEND_SYSCALLS.has(c)) &&
          promSample(await metrics(), "vigil_ingest_tcp_pauses_total") > 0;
      };
      await until(blocked, {
        what: () => `both senders blocked (last seen ${seen})`,
        deadlineMs: 60_000,
        pollMs: 100,
      });
      const pausesThen = promSample(await metrics(), "vigil_ingest_tcp_pauses_total");
      // The refused connection keeps retrying admission (backing off) without reading: wait for two more refusals,
      // then the senders are still blocked and nothing more was acknowledged.
      await until(
        async () => promSample(await metrics(), "vigil_ingest_tcp_pauses_total") >= pausesThen + 2,
        {
          what: "two more back-pressure pauses",
          deadlineMs: 30_000,
          pollMs: 50,
        },
      );
      assert.ok(await blocked(), "the senders are still blocked");
      assert.ok(senders.every((s) => !s.exited()), "no sender finished");
      assert.equal(service.metrics.counts.accepted, WARM_UP, "nothing acknowledged while Kafka is frozen");
      const pending = promSample(await metrics(), "vigil_ingest_pending_events");
      const oneRead = Math.ceil(64 * 1024 / (PAD.length + 20)) + 1;
      assert.ok(pending > 0 && pending <= oneRead, `one read's events held (${pending}, at most ${oneRead})`);

      await broker.resume();
      paused = false;
      for (const s of senders) {
        const status = await s.status;
        assert.equal(
          status.code,
          0,
          new TextDecoder().decode(await new Response(s.child.stderr).arrayBuffer()),
        );
      }
      const total = WARM_UP + 2 * LINES;
      await until(() => service.metrics.counts.accepted >= total, {
        what: () => `${total} acknowledged (${service.metrics.counts.accepted})`,
        deadlineMs: 120_000,
        pollMs: 50,
      });
      const text = await metrics();
      assert.equal(
        promSample(text, `vigil_ingest_events_total{receiver="syslog_tcp",outcome="accepted"}`),
        total,
      );
      assert.equal(
        promSample(
          text,
          `vigil_ingest_client_events_total{receiver="syslog_tcp",client="127.0.0.1",outcome="accepted"}`,
        ),
        total,
        "the per-client counter",
      );
      await service.close();
      const hot = await settledHotTier(config, engine, total);
      assert.equal(hot.documents, total, "documents");
      assert.equal(hot.distinctContents, total, "each line once");
      for (const name of ["a", "b"]) {
        assert.equal(hot.events!.filter((e) => e.content.startsWith(`${name} line `)).length, LINES, name);
      }
    } finally {
      if (paused) await broker.resume().catch(() => {});
      await service.close();
      await engine.kill9();
      await dropTiers(config);
      await broker.destroy();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
