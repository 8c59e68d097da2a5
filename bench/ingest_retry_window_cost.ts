/**
 * What idempotent retries cost the HTTP receivers: the CPU time of the retry window's work per request — the
 * body's digest ({@link requestKey}) and {@link AckedRecordWindow.deliverOnce} bookkeeping, then
 * {@link AckedRecordWindow.answered} — as a ratio to the work the OTLP/HTTP JSON receiver already did per request
 * before it (parse the body, map the records to drafts and events, serialise each event as the publisher does),
 * both measured in the same run, interleaved, on the same bodies. Kafka is not involved: the delivery answers at
 * once, so only the window's own cost is counted.
 *
 * Bodies: OTLP JSON requests of 1,000 Loghub Linux lines (as `bench/ingest_bench.ts` sends them). Prints a
 * Markdown table. Run: `deno run -A bench/ingest_retry_window_cost.ts [--requests 50] [--rounds 7]`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { LogEvent } from "../lib/event/log_event.ts";
import { AckedRecordWindow, requestKey } from "../lib/ingest/acked_record_window.ts";
import { draftToEvent } from "../lib/ingest/ingest_event.ts";
import { otlpLogsToDrafts } from "../lib/ingest/otlp_logs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { requests: { type: "string" }, rounds: { type: "string" } },
});
const REQUESTS = Number(values.requests ?? 50);
const ROUNDS = Number(values.rounds ?? 7);
const PER_REQUEST = 1000;
const SOURCE = "/work/shared/loghub/Linux/Linux_2k.log";

const base = (await Deno.readTextFile(SOURCE)).split("\n").filter((l) => l.trim() !== "");
const t0 = Date.now();
const bodies = Array.from({ length: REQUESTS }, (_, k) =>
  new TextEncoder().encode(JSON.stringify({
    resourceLogs: [{
      resource: { attributes: [{ key: "host.name", value: { stringValue: "combo" } }] },
      scopeLogs: [{
        logRecords: Array.from({ length: PER_REQUEST }, (_, i) => ({
          timeUnixNano: `${t0 + k * PER_REQUEST + i}000000`,
          body: { stringValue: base[(k * PER_REQUEST + i) % base.length] },
          severityNumber: 9,
        })),
      }],
    }],
  })));
const ctx = { source: "otlp-http:127.0.0.1", system: "otlp", peerHost: "127.0.0.1", maxChars: 65_536 };

/** The receiver's work per request before the window: parse, map, serialise (what the publisher does). */
function receiverWork(body: Uint8Array): LogEvent[] {
  const events = otlpLogsToDrafts(JSON.parse(new TextDecoder().decode(body))).map((d) =>
    draftToEvent(d, ctx)
  );
  let bytes = 0;
  for (const e of events) bytes += JSON.stringify(e).length;
  if (bytes === 0) throw new Error("nothing serialised");
  return events;
}

/** The window's work per request: digest, bookkeeping of a delivery acknowledged at once, forgetting. */
async function windowWork(window: AckedRecordWindow, body: Uint8Array, events: LogEvent[]): Promise<void> {
  const key = requestKey("otlp_http", "127.0.0.1", "/v1/logs", body);
  const once = await window.deliverOnce(key, events, (records, onSettled) => {
    onSettled(records.map((_, i) => i), true);
    return Promise.resolve("acked" as const);
  }, 1000);
  if (once.delivery !== "acked") throw new Error(once.delivery);
  window.answered(key);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const receiverMs: number[] = [];
const windowMs: number[] = [];
const window = new AckedRecordWindow({ maxRecords: 1_000_000, maxAgeMs: 600_000 });
const events = bodies.map(receiverWork); // warm-up, and the events the window run is given
for (let round = 0; round < ROUNDS; round++) {
  let t = performance.now();
  for (const body of bodies) receiverWork(body);
  receiverMs.push(performance.now() - t);
  t = performance.now();
  for (let i = 0; i < bodies.length; i++) await windowWork(window, bodies[i], events[i]);
  windowMs.push(performance.now() - t);
}
const r = median(receiverMs);
const w = median(windowMs);
console.log(
  [
    `# Retry window cost — ${new Date().toISOString().slice(0, 10)}`,
    "",
    `${REQUESTS} OTLP JSON requests of ${PER_REQUEST} Loghub Linux lines, median of ${ROUNDS} interleaved rounds.`,
    "",
    "| work per round | ms | ratio to the receiver's work |",
    "| --- | ---: | ---: |",
    `| receiver (parse, map, serialise) | ${r.toFixed(1)} | 1.00× |`,
    `| retry window (digest, bookkeeping, forget) | ${w.toFixed(1)} | ${(w / r).toFixed(3)}× |`,
    "",
  ].join("\n"),
);
