import assert from "node:assert/strict";
import { type BenchReport, cpuCostTable, renderMarkdown, slowestSinkLimit } from "./report.ts";
import { duplicates } from "./tier_counts.ts";

const empty: BenchReport = {
  startedAt: "2026-11-29T00:00:00.000Z",
  quick: true,
  seconds: 1,
  machine: { cpus: 2, loadBefore: [1, 1, 1], loadAfter: [1, 1, 1], deno: "2.9.6" },
  events: { count: 0, avgBytes: 600 },
  engine: { source: [], parse: [], discard: [] },
  full: [],
  micro: [],
  errors: ["raw limits: boom\nstack"],
};

Deno.test("renderMarkdown: a report with nothing measured still renders, errors listed on one line each", () => {
  const md = renderMarkdown(empty);
  assert.match(md, /^# vigil bench — 2026-11-29T00:00:00.000Z \(--quick\)/);
  assert.match(md, /\n- raw limits: boom\n/);
  assert.ok(!md.includes("stack"));
  assert.ok(Number.isNaN(slowestSinkLimit(undefined)));
});

Deno.test("renderMarkdown: engine ratio is engine events/s over the Kafka consume limit", () => {
  const spread = (x: number) => ({ min: x, median: x, max: x, n: 1 });
  const r: BenchReport = {
    ...empty,
    errors: [],
    raw: {
      eventBytes: 600,
      kafkaProduce: spread(50_000),
      kafkaConsume: spread(200_000),
      opensearchBulk: spread(20_000),
      bulkSettings: [],
      s3MiBPerSecond: spread(100),
      s3Events: spread(4_000_000),
      s3ObjectBytes: 1,
      s3ObjectRows: 1,
    },
    engine: {
      source: [],
      parse: [],
      discard: [{
        events: 1,
        eventsPerSecond: 50_000,
        mibPerSecond: 1,
        cpuPercent: 100,
        peakRssMiB: 1,
        completed: true,
        done: 1,
      }],
    },
  };
  const md = renderMarkdown(r);
  assert.match(md, /Engine alone \(Kafka → parse → classify → discard\) \| 0\.25 \|/);
  assert.match(md, /Engine alone vs goal \| 1\.00 \|/);
  assert.equal(slowestSinkLimit(r.raw), 20_000);
});

Deno.test("duplicates counts occurrences beyond the first per id", () => {
  assert.equal(duplicates({ total: 5, byId: new Map([["a", 1], ["b", 3], ["c", 1]]) }), 2);
  assert.equal(duplicates({ total: 0, byId: new Map() }), 0);
});

Deno.test("cpuCostTable: CPU seconds per 1,000 events by process, medians, shares of the total", () => {
  const run = (engine: number, opensearch: number) => ({
    events: 1000,
    eventsPerSecond: 1000,
    mibPerSecond: 1,
    cpuPercent: 50,
    peakRssMiB: 100,
    completed: true,
    done: 1000,
    cpuPerThousand: { engine, kafka: 0.1, opensearch, s3: undefined, producer: 0.1 },
  });
  const lines = cpuCostTable([run(0.2, 0.5), run(0.4, 0.7), run(0.3, 0.6)]);
  const row = (name: string) => lines.find((l) => l.startsWith(`| ${name} |`));
  assert.equal(row("engine"), "| engine | 0.300 (0.200–0.400) | 27 % |");
  assert.equal(row("opensearch"), "| opensearch | 0.600 (0.500–0.700) | 55 % |");
  assert.equal(row("s3"), undefined, "a service without readings has no row");
  assert.equal(row("**total**"), "| **total** | 1.100 | 100 % |");
  // Rows in pipeline order: producer first, the sinks' services last.
  assert.ok(lines.indexOf(row("producer")!) < lines.indexOf(row("engine")!));
  assert.deepEqual(cpuCostTable([{ ...run(0, 0), cpuPerThousand: undefined }]), []);
});

Deno.test("renderMarkdown: full runs with phases show start-up, stream and cold tail (medians)", () => {
  const run = (first: number, stream: number, tail: number) => ({
    events: 1,
    eventsPerSecond: 1000,
    mibPerSecond: 1,
    cpuPercent: 50,
    peakRssMiB: 1,
    completed: true,
    done: 1,
    phases: { firstDeliveryMs: first, hotStreamEventsPerSecond: stream, coldTailMs: tail },
  });
  const full = [run(500, 9000, 300), run(700, 8000, 2000), run(600, 8500, 1000)];
  const lines = renderMarkdown({ ...empty, errors: [], full }).split("\n");
  const header = lines.findIndex((l) => l.startsWith("| window start → first hot ack, ms |"));
  assert.ok(header > 0, "the phases table is there");
  assert.equal(lines[header + 2], "| 600 (500–700) | 8,500 (8,000–9,000) | 1,000 (300–2,000) |");
  const without = renderMarkdown({ ...empty, errors: [], full: [{ ...run(1, 1, 1), phases: undefined }] });
  assert.ok(!without.includes("window start →"), "no phases, no table");
});
