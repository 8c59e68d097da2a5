/**
 * Ingest receivers' throughput as a ratio to `deno task produce` on the same events in the same run (issue 16's
 * goal: each ≥ 0.5×). The events are Loghub's Linux syslog lines (`/work/shared/loghub/Linux/Linux_2k.log`, looped
 * to `--events`), sent:
 *
 * - **produce** — `runProducer` reading them from a file (`--format linux`): the baseline, run before and after the
 *   receivers (the mean is the baseline, the spread is shown);
 * - **syslog TCP** — one connection, newline framing, `<13>` + line;
 * - **syslog UDP** — one datagram per `<13>` + line from one socket, at most {@link UDP_WINDOW} datagrams sent and
 *   not yet taken by the receiver (so the kernel's receive buffer does not overflow: the bench measures what the
 *   receiver can take, not how much a flood loses); its events/s counts accepted events, drops are reported;
 * - **OTLP JSON** and **OTLP protobuf** — requests of 1,000 records (body = line), 4 in flight;
 * - **`_bulk`** — requests of 1,000 ECS documents (`message`, `@timestamp`, `host.name`), 4 in flight.
 *
 * A receiver's time runs from its first byte sent to Kafka's acknowledgement of its last event (the service counts
 * an event accepted only then). Each run uses a fresh 4-partition topic, deleted afterwards. Needs the local stack.
 * Run: `deno run -A bench/ingest_bench.ts [--events 50000] [--quick]`; writes
 * `bench/results/ingest-<date>[-quick].{json,md}`.
 *
 * @module
 */
import dgram from "node:dgram";
import { parseArgs } from "node:util";
import { parseConfig } from "../lib/config/vigil_config.ts";
import { createKafkaAdmin } from "../lib/kafka/kafka_client.ts";
import { runProducer } from "../lib/producer/produce_run.ts";
import { startIngestService } from "../lib/ingest/ingest_service.ts";
import { encodeOtlpLogsProtobuf } from "../lib/ingest/otlp_logs_protobuf.ts";
import { udpKernelDrops } from "../lib/ingest/udp_kernel_drops.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { events: { type: "string" }, quick: { type: "boolean", default: false } },
});
const N = Number(values.events ?? (values.quick ? 10_000 : 50_000));
const BATCH = 1000;
const IN_FLIGHT = 4;
/**
 * Datagrams sent and not yet taken (accepted, dropped, or waiting for Kafka) by the UDP receiver, at most: the
 * socket keeps the system's default receive buffer (208 KiB here; see lib/ingest/udp_kernel_drops.ts), a few
 * hundred of these datagrams.
 */
const UDP_WINDOW = 100;
const SOURCE = "/work/shared/loghub/Linux/Linux_2k.log";

const config = parseConfig({}, Deno.env.toObject());
const base = (await Deno.readTextFile(SOURCE)).split("\n").filter((l) => l.trim() !== "");
const lines = Array.from({ length: N }, (_, i) => base[i % base.length].trimEnd());
const topics: string[] = [];
const topic = (name: string) => {
  const t = `bench.ingest.${name}.${Date.now().toString(36)}`;
  topics.push(t);
  return t;
};

async function produceRun(): Promise<number> {
  const file = await Deno.makeTempFile({ suffix: ".log" });
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  try {
    const summary = await runProducer(config, { input: file, format: "linux", topic: topic("produce") });
    if (summary.acked !== N) throw new Error(`produce acknowledged ${summary.acked} of ${N}`);
    return summary.eventsPerSecond;
  } finally {
    await Deno.remove(file);
  }
}

async function inFlight<T>(items: T[], send: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < items.length) await send(items[next++]);
  }));
}

async function post(url: string, headers: Record<string, string>, body: BodyInit): Promise<void> {
  for (;;) {
    const res = await fetch(url, { method: "POST", headers, body });
    await res.body?.cancel();
    if (res.status === 200) return;
    if (res.status !== 429 && res.status !== 503) throw new Error(`${url} answered ${res.status}`);
    await new Promise((r) => setTimeout(r, 100)); // the bench retries sooner than Retry-After: it measures capacity
  }
}

/** What a UDP run dropped: by vigil (its gate refused) and by the kernel (the socket's buffer was full). */
interface UdpDrops {
  vigil: number;
  kernel: number;
}

/**
 * Events/s of one receiver: from the first byte sent to the last event acknowledged (or, over UDP, dropped: the
 * rate counts accepted events only, and `drops` receives the rest).
 */
async function receiverRun(
  name: string,
  send: (service: Awaited<ReturnType<typeof startIngestService>>) => Promise<void>,
  drops?: (dropped: UdpDrops) => void,
) {
  const service = await startIngestService(config, {
    topic: topic(name),
    httpPort: 0,
    syslogTcpPort: 0,
    syslogUdpPort: 0,
  });
  const { counts } = service.metrics;
  try {
    const started = performance.now();
    await send(service);
    const kernel = () => drops ? udpKernelDrops(service.syslogUdpPort!) ?? 0 : 0;
    const deadline = Date.now() + 120_000;
    while (counts.accepted + counts.dropped + kernel() < N) {
      if (Date.now() > deadline) {
        throw new Error(
          `${name}: ${counts.accepted} accepted and ${counts.dropped} dropped of ${N} in 120 s`,
        );
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const seconds = (performance.now() - started) / 1000;
    if (counts.accepted + counts.dropped + kernel() !== N) {
      throw new Error(
        `${name}: ${counts.accepted} accepted and ${counts.dropped} + ${kernel()} dropped of ${N}`,
      );
    }
    drops?.({ vigil: counts.dropped, kernel: kernel() });
    return counts.accepted / seconds;
  } finally {
    await service.close();
  }
}

const chunks = <T>(xs: T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / BATCH) }, (_, i) => xs.slice(i * BATCH, (i + 1) * BATCH));
// Each record carries its own time, as every shipper's do (an SDK's observed time, a Beat's @timestamp): the
// looped lines repeat every 2,000, and a byte-identical body sent while its twin is in flight is taken for a retry.
const t0 = Date.now();
const otlpRequest = (batch: string[], first: number) => ({
  resourceLogs: [{
    resource: { attributes: [{ key: "host.name", value: { stringValue: "combo" } }] },
    scopeLogs: [{
      logRecords: batch.map((l, i) => ({
        timeUnixNano: `${t0 + first + i}000000`,
        body: { stringValue: l },
        severityNumber: 9,
      })),
    }],
  }],
});

const results: Record<string, number> = {};
try {
  results.produceBefore = await produceRun();
  results.syslogTcp = await receiverRun("syslog-tcp", async (s) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.syslogTcpPort! });
    const bytes = new TextEncoder().encode(lines.map((l) => `<13>${l}\n`).join(""));
    for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
    conn.close();
  });
  results.syslogUdp = await receiverRun("syslog-udp", async (s) => {
    const socket = dgram.createSocket("udp4");
    const datagrams = lines.map((l) => new TextEncoder().encode(`<13>${l}`));
    // Taken: accepted, dropped (by vigil or by the kernel), or admitted and waiting for Kafka. The kernel's count
    // is read (from /proc, ~0.1 ms) only when the rest leaves the window full.
    const takenByVigil = () => s.metrics.counts.accepted + s.metrics.counts.dropped + s.gate.pending;
    const taken = () => takenByVigil() + (udpKernelDrops(s.syslogUdpPort!) ?? 0);
    try {
      for (let i = 0; i < datagrams.length; i++) {
        const stalled = Date.now() + 30_000;
        while (i - takenByVigil() >= UDP_WINDOW && i - taken() >= UDP_WINDOW) {
          if (Date.now() > stalled) {
            throw new Error(`syslog-udp: ${i - taken()} datagrams never taken`);
          }
          await new Promise((r) => setTimeout(r, 0));
        }
        await new Promise<void>((resolve, reject) =>
          socket.send(datagrams[i], s.syslogUdpPort!, "127.0.0.1", (err) => err ? reject(err) : resolve())
        );
      }
    } finally {
      socket.close();
    }
  }, (dropped) => {
    results.syslogUdpDroppedByVigil = dropped.vigil;
    results.syslogUdpDroppedByKernel = dropped.kernel;
  });
  const jsonBodies = chunks(lines).map((b, k) => JSON.stringify(otlpRequest(b, k * BATCH)));
  results.otlpJson = await receiverRun(
    "otlp-json",
    (s) =>
      inFlight(
        jsonBodies,
        (body) => post(`${s.addresses.http}/v1/logs`, { "content-type": "application/json" }, body),
      ),
  );
  const pbBodies = chunks(lines).map((b, k) =>
    encodeOtlpLogsProtobuf(otlpRequest(b, k * BATCH)) as Uint8Array<ArrayBuffer>
  );
  results.otlpProtobuf = await receiverRun(
    "otlp-pb",
    (s) =>
      inFlight(
        pbBodies,
        (body) => post(`${s.addresses.http}/v1/logs`, { "content-type": "application/x-protobuf" }, body),
      ),
  );
  const bulkBodies = chunks(lines).map((b, k) =>
    b.map((l, i) => {
      const ts = new Date(t0 + k * BATCH + i).toISOString();
      return `{"create":{}}\n${JSON.stringify({ "@timestamp": ts, message: l, host: { name: "combo" } })}\n`;
    }).join("")
  );
  results.bulk = await receiverRun(
    "bulk",
    (s) =>
      inFlight(
        bulkBodies,
        (body) => post(`${s.addresses.http}/_bulk`, { "content-type": "application/x-ndjson" }, body),
      ),
  );
  results.produceAfter = await produceRun();
} finally {
  const admin = createKafkaAdmin(config);
  await admin.deleteTopics(topics).catch(() => {});
  await admin.close();
}

const baseline = (results.produceBefore + results.produceAfter) / 2;
const rows = [
  ["produce (baseline: mean of before/after)", baseline],
  ["syslog TCP (1 connection)", results.syslogTcp],
  [
    `syslog UDP (1 socket, ≤ ${UDP_WINDOW} datagrams untaken; dropped: ${results.syslogUdpDroppedByVigil} by vigil, ${results.syslogUdpDroppedByKernel} by the kernel)`,
    results.syslogUdp,
  ],
  ["OTLP/HTTP JSON (1,000/request, 4 in flight)", results.otlpJson],
  ["OTLP/HTTP protobuf (1,000/request, 4 in flight)", results.otlpProtobuf],
  ["_bulk (1,000/request, 4 in flight)", results.bulk],
] as const;
const date = new Date().toISOString().slice(0, 10);
const name = `ingest-${date}${values.quick ? "-quick" : ""}`;
const md = [
  `# Ingest receivers vs deno task produce — ${date}`,
  "",
  `${N} Loghub Linux lines, same events everywhere, same run; produce before ${
    results.produceBefore.toFixed(0)
  } and after ${results.produceAfter.toFixed(0)} events/s.`,
  "",
  "| path | events/s | ratio to produce |",
  "| --- | ---: | ---: |",
  ...rows.map(([label, eps]) => `| ${label} | ${eps.toFixed(0)} | ${(eps / baseline).toFixed(2)}× |`),
  "",
].join("\n");
await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
await Deno.writeTextFile(
  new URL(`./results/${name}.json`, import.meta.url),
  JSON.stringify({ events: N, results, baseline }, null, 2) + "\n",
);
await Deno.writeTextFile(new URL(`./results/${name}.md`, import.meta.url), md);
console.log(md);
