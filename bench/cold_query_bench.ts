/**
 * Cold-tier query latency (issue 17): VIGIL_BENCH_EVENTS synthetic events (default 10,000,000) over 8 days are
 * written straight into the cold tier by the product's own cold writer (`ColdSink.write`: the sink's keys,
 * Parquet codec, merge and sibling checks — not through Kafka), then, over 7 of those days:
 *
 * - a filtered count (one level, one component) and a first page of 50 matching events, each timed with a
 *   cold reader (empty local cache: a new `ColdQueryReader`) and warm (the same reader again, median of 3);
 * - the S3 bytes each read vs the bytes a full scan of the range reads (the visible objects' sizes);
 * - the baseline in the same run: a full scan with hyparquet (every object fetched whole, `ts`, `level`,
 *   `component` decoded, every row checked), which also gives both answers — the reader's must equal it and
 *   the count the generator kept.
 *
 * The corpus lives under its own bench namespace (bucket `vigil-test`, prefix `bench-…/`) and is deleted at the
 * end, also when the run fails. Targets: ≤ 2 s warm, ≤ 10 s cold.
 *
 * Run: `deno run -A bench/cold_query_bench.ts` (VIGIL_BENCH_EVENTS=200000 for a quick look)
 *
 * @module
 */
import { type DecodedArray, parquetMetadata, parquetScan } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { KEEP_FOREVER_MAX_AGE_DAYS } from "../actors/routing_time.ts";
import { S3ColdService } from "../actors/cold_sink/service.ts";
import { ColdQueryReader } from "../actors/cold_query/cold_query.ts";
import { compactDays } from "../actors/cold_compaction/day_compactor.ts";
import { type ColdQueryFilter, rowMatches } from "../actors/cold_query/cold_query_filter.ts";
import type { ColdQueryStats } from "../actors/cold_query/cold_query.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import type { Classification, ClassifiedEvent, Level } from "../lib/event/log_event.ts";
import { dropTestNamespace, ensureTestBucket } from "../testing/drop_test_namespace.ts";
import { TEST_BUCKET, type TestNamespace, testNamespace } from "../testing/test_namespace.ts";
import { silentLogger } from "../engine/logger.ts";

const EVENTS = Number(Deno.env.get("VIGIL_BENCH_EVENTS") ?? 10_000_000);
const DAYS = Number(Deno.env.get("VIGIL_BENCH_DAYS") ?? 8);
/** VIGIL_BENCH_COMPACT=1: after the queries, run the day level of compaction and query again (same run). */
const COMPACT = Deno.env.get("VIGIL_BENCH_COMPACT") === "1";
const HOURS = DAYS * 24;
const START = Date.UTC(2026, 9, 1);
/**
 * The corpus is dated from START, ingested a second after each event: an archive-wide window keeps each event
 * in its own hour (the default, the hot retention, would route a corpus older than 7 days to one hour).
 */
const CORPUS_EVENT_TIME_WINDOW = { maxAgeMs: KEEP_FOREVER_MAX_AGE_DAYS * 86_400_000, maxAheadMs: 86_400_000 };
const PARTITIONS = Number(Deno.env.get("VIGIL_BENCH_PARTITIONS") ?? 2);
const TOPIC = "vigil.bench";
const COMPONENTS = Array.from({ length: 40 }, (_, i) => `svc-${String(i).padStart(2, "0")}`);
const HOSTS = Array.from({ length: 50 }, (_, i) => `node-${i}`);
const WORDS = [
  "connection",
  "timeout",
  "user",
  "request",
  "disk",
  "cache",
  "retry",
  "session",
  "worker",
  "queue",
];

/** Deterministic PRNG (mulberry32): every run writes the same corpus. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function levelOf(u: number): Level {
  return u < 0.02 ? "debug" : u < 0.82 ? "info" : u < 0.92 ? "warn" : u < 0.99 ? "error" : "fatal";
}

function classificationOf(level: Level, u: number): Classification {
  if (level === "fatal" || (level === "error" && u < 0.3)) return u < 0.5 ? "CRITICAL_ANOMALY" : "ANOMALY";
  return u < 0.02 ? "ANOMALY" : "NORMAL";
}

/** Events in `hour` (the first `EVENTS % HOURS` hours hold one more). */
function countIn(hour: number): number {
  return Math.floor(EVENTS / HOURS) + (hour < EVENTS % HOURS ? 1 : 0);
}

/**
 * One hour of events: a function of the hour alone (its own PRNG seed, offsets from the hour's place), so hours
 * can be written by several processes at once.
 */
function hourOfEvents(hour: number): DeliveryRecord[] {
  const random = prng(1_000 + hour);
  const count = countIn(hour);
  const firstOffset = Math.ceil(EVENTS / HOURS / PARTITIONS + 1) * hour;
  const offsets = Array.from({ length: PARTITIONS }, () => firstOffset);
  const out: DeliveryRecord[] = [];
  for (let i = 0; i < count; i++) {
    const tsMs = START + hour * 3_600_000 + Math.floor((i / count) * 3_600_000);
    const level = levelOf(random());
    // Skewed components: a few busy services, a long tail.
    const component = COMPONENTS[Math.floor(COMPONENTS.length * random() ** 2)];
    const w = WORDS[Math.floor(random() * WORDS.length)];
    const n = Math.floor(random() * 100_000);
    const content = `${w} ${level === "info" ? "ok" : "failed"} for id ${n} after ${n % 997} ms`;
    const ts = new Date(tsMs).toISOString();
    const partition = i % PARTITIONS;
    const event: ClassifiedEvent = {
      v: 1,
      id: `bench:${hour}:${i}`,
      ts,
      ingestTs: new Date(tsMs + 1000).toISOString(),
      host: HOSTS[n % HOSTS.length],
      source: "synthetic:cold-bench",
      system: "synthetic",
      level,
      component,
      content,
      fields: {},
      lineNo: hour * count + i + 1,
      raw: `${ts} ${level.toUpperCase()} ${component} ${content}`,
      flags: [],
      templateId: `t-${w}-${level === "info" ? "ok" : "failed"}`,
      template: `${w} <*> for id <*> after <*> ms`,
      params: [],
      classification: classificationOf(level, random()),
      score: level === "info" ? 0.01 : 0.7,
      reasons: [],
      modelVersion: "bench",
    };
    out.push({ event, kafka: { topic: TOPIC, partition, offset: String(offsets[partition]++) } });
  }
  return out;
}

function rssMiB(): number {
  return Math.round(Deno.memoryUsage().rss / 1048576);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * The baseline: every object of the range fetched whole (32 GETs at a time, as the reader), `ts`, `level` and `component` of
 * every row group decoded (`id` too where a group matches) and every row checked.
 */
async function fullScan(store: S3ColdService, keys: string[], filter: ColdQueryFilter) {
  const started = performance.now();
  let bytes = 0;
  let count = 0;
  let newest: { ts: number; id: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const object = (await store.get(keys[next++]))!;
      bytes += object.byteLength;
      const file = object.buffer.slice(
        object.byteOffset,
        object.byteOffset + object.byteLength,
      ) as ArrayBuffer;
      const scan = await parquetScan({ file, metadata: parquetMetadata(file), compressors });
      for (const { rowStart, rowEnd } of scan.ranges) {
        const read = (column: string) => scan.readColumn({ column, rowStart, rowEnd });
        const [ts, level, component] = await Promise.all([read("ts"), read("level"), read("component")]);
        let ids: DecodedArray | undefined;
        for (let i = 0; i < ts.length; i++) {
          const row = { ts: ts[i] as Date, level: level[i] as string, component: component[i] as string };
          if (!rowMatches(row, filter)) continue;
          count++;
          ids ??= await read("id");
          newest.push({ ts: row.ts.getTime(), id: ids[i] as string });
        }
        newest.sort((a, b) => b.ts - a.ts);
        newest = newest.slice(0, 50);
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { ms: performance.now() - started, bytes, count, page: newest };
}

function describe(name: string, ms: number, stats: ColdQueryStats): string {
  return `${name.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(7)} s  S3 ${
    (stats.s3Bytes / 1048576).toFixed(2).padStart(8)
  } MiB (${(100 * stats.s3Bytes / stats.fullScanBytes).toFixed(2)} % of a full scan's ${
    (stats.fullScanBytes / 1048576).toFixed(1)
  } MiB), ${stats.s3Requests} GETs, row groups ${stats.rowGroups}: skipped ${stats.rowGroupsSkipped}, ` +
    `counted from statistics ${stats.rowGroupsCounted}, decoded ${stats.rowGroupsRead}`;
}

/** Runs the bench in `ns`; writes the corpus first unless `reuse` (a kept corpus of an earlier run). */
async function run(ns: TestNamespace, reuse: boolean): Promise<void> {
  {
    const lines: string[] = [];
    const log = (line: string) => {
      console.log(line);
      lines.push(line);
    };
    // One object per hour, classification and partition: no offset window splits them (the bench writes
    // each hour once; the sink's merge and sibling checks still run).
    const sink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix: ns.s3Prefix,
      offsetWindow: 1_000_000_000,
      logger: silentLogger,
      eventTimeWindow: CORPUS_EVENT_TIME_WINDOW,
    });
    const store = new S3ColdService(sink.config);
    try {
      await sink.start();
      const filter: ColdQueryFilter = {
        from: new Date(START + (DAYS > 1 ? 24 : 0) * 3_600_000),
        to: new Date(START + HOURS * 3_600_000),
        levels: ["error"],
        component: COMPONENTS[7],
      };
      let expected: number | undefined = reuse ? undefined : 0;
      let peakRss = rssMiB();
      const writeStarted = performance.now();
      for (let hour = 0; hour < (reuse ? 0 : HOURS); hour++) {
        const records = hourOfEvents(hour);
        for (const r of records) {
          if (rowMatches({ ...r.event, ts: new Date(r.event.ts) }, filter)) expected!++;
        }
        const acks = await sink.write(records);
        if (acks.length !== records.length) throw new Error(`hour ${hour}: ${acks.length} acks`);
        peakRss = Math.max(peakRss, rssMiB());
        if (hour % 24 === 23) {
          console.log(
            `written ${hour + 1}/${HOURS} hours (${Math.round((performance.now() - writeStarted) / 1000)} s)`,
          );
        }
      }
      const writeS = (performance.now() - writeStarted) / 1000;
      const objects = await store.listObjects(`${ns.s3Prefix}events/`);
      const totalBytes = objects.reduce((s, o) => s + o.size, 0);
      const sizes = objects.map((o) => o.size).sort((a, b) => a - b);
      // Every event of the corpus, counted from the row groups' statistics (no filter: nothing is decoded).
      const inColdTier = (await new ColdQueryReader(store, { prefix: ns.s3Prefix }).count({
        from: new Date(START),
        to: new Date(START + HOURS * 3_600_000),
      })).count;
      log(`# Cold query bench (${new Date().toISOString().slice(0, 10)})`);
      log("");
      log(
        `corpus: ${inColdTier} synthetic events in the cold tier (of ${EVENTS} planned) over ${DAYS} days, ` +
          `written by ColdSink.write (not through Kafka) ` +
          `${reuse ? "by an earlier run (kept)" : `in ${writeS.toFixed(0)} s`}; ${objects.length} objects, ${
            (totalBytes / 1048576).toFixed(1)
          } MiB ` +
          `(object sizes: median ${(median(sizes) / 1048576).toFixed(2)} MiB, max ${
            (sizes[sizes.length - 1] / 1048576).toFixed(2)
          } MiB)`,
      );
      log(
        `query: level=error component=${filter.component} over ${
          DAYS > 1 ? DAYS - 1 : 1
        } days (${filter.from.toISOString()} to ` +
          `${filter.to.toISOString()}); ${
            expected === undefined
              ? "the generator's count is not known to this run"
              : `the generator counted ${expected}`
          } matching events`,
      );

      const cold = new ColdQueryReader(store, { prefix: ns.s3Prefix });
      let t = performance.now();
      const coldCount = await cold.count(filter);
      log(describe("count, cold", performance.now() - t, coldCount.stats));
      const warmCountMs: number[] = [];
      let warmCount = coldCount;
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        warmCount = await cold.count(filter);
        warmCountMs.push(performance.now() - t);
      }
      log(describe("count, warm (median)", median(warmCountMs), warmCount.stats));
      peakRss = Math.max(peakRss, rssMiB());

      const coldPageReader = new ColdQueryReader(store, { prefix: ns.s3Prefix });
      t = performance.now();
      const coldPage = await coldPageReader.page(filter, 50);
      log(describe("first page, cold", performance.now() - t, coldPage.stats));
      const warmPageMs: number[] = [];
      let warmPage = coldPage;
      for (let i = 0; i < 3; i++) {
        t = performance.now();
        warmPage = await coldPageReader.page(filter, 50);
        warmPageMs.push(performance.now() - t);
      }
      log(describe("first page, warm (median)", median(warmPageMs), warmPage.stats));
      peakRss = Math.max(peakRss, rssMiB());

      const keys = objects.filter((o) => {
        const m = /dt=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\//.exec(o.key)!;
        const start = Date.parse(`${m[1]}T${m[2]}:00:00Z`);
        return start + 3_600_000 > filter.from.getTime() && start < filter.to.getTime();
      }).map((o) => o.key);
      const scan = await fullScan(store, keys, filter);
      peakRss = Math.max(peakRss, rssMiB());
      log(
        `baseline full scan     ${(scan.ms / 1000).toFixed(2).padStart(7)} s  S3 ${
          (scan.bytes / 1048576).toFixed(2)
        } MiB (hyparquet, whole objects, ts/level/component decoded, one pass gives the count and the page)`,
      );
      const pageIds = coldPage.events.map((e) => e.id);
      const generated = expected === undefined ? "not in this run" : String(expected);
      expected ??= scan.count;
      const same = coldCount.count === expected && scan.count === expected && warmCount.count === expected &&
        JSON.stringify(pageIds) === JSON.stringify(scan.page.map((p) => p.id)) &&
        JSON.stringify(warmPage.events.map((e) => e.id)) === JSON.stringify(pageIds);
      log(
        `answers: count ${coldCount.count} (full scan ${scan.count}, generator ${generated}); page of ${pageIds.length}` +
          ` ${same ? "identical to the full scan's" : "DIFFERENT from the full scan's"}`,
      );
      log(
        `ratios to the full scan: count cold ${
          (scan.ms / coldCount.stats.elapsedMs).toFixed(1)
        }× faster, warm ${(scan.ms / median(warmCountMs)).toFixed(1)}×; page cold ${
          (scan.ms / coldPage.stats.elapsedMs).toFixed(1)
        }×, warm ${(scan.ms / median(warmPageMs)).toFixed(1)}×; S3 bytes count ${
          (100 * coldCount.stats.s3Bytes / scan.bytes).toFixed(2)
        } %, page ${(100 * coldPage.stats.s3Bytes / scan.bytes).toFixed(2)} %`,
      );
      log(
        `targets: warm ≤ 2 s ${
          median(warmCountMs) <= 2000 && median(warmPageMs) <= 2000 ? "met" : "MISSED"
        }, ` +
          `cold ≤ 10 s ${
            coldCount.stats.elapsedMs <= 10_000 && coldPage.stats.elapsedMs <= 10_000 ? "met" : "MISSED"
          }; peak RSS ${peakRss} MiB; load average ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
      );
      if (COMPACT) {
        const t0 = performance.now();
        const report = await compactDays(sink.service, `${ns.s3Prefix}events/`);
        const compactS = (performance.now() - t0) / 1000;
        peakRss = Math.max(peakRss, rssMiB());
        const after = (await store.listObjects(`${ns.s3Prefix}events/`)).map((o) => o.size).sort((a, b) =>
          b - a
        );
        log("");
        log(
          `day compaction (target 64 MiB): ${report.written} objects written, ${report.deleted} deleted, ` +
            `${report.rows} rows in ${compactS.toFixed(0)} s; objects now ${after.length}, sizes ${
              after.map((b) => (b / 1048576).toFixed(2)).join(", ")
            } MiB`,
        );
        const reader = new ColdQueryReader(store, { prefix: ns.s3Prefix });
        t = performance.now();
        const c = await reader.count(filter);
        log(describe("count, cold (compacted)", performance.now() - t, c.stats));
        const cw: number[] = [];
        for (let i = 0; i < 3; i++) {
          t = performance.now();
          await reader.count(filter);
          cw.push(performance.now() - t);
        }
        log(`count, warm (compacted, median) ${(median(cw) / 1000).toFixed(2)} s`);
        const pageReader = new ColdQueryReader(store, { prefix: ns.s3Prefix });
        t = performance.now();
        const p = await pageReader.page(filter, 50);
        log(describe("first page, cold (compacted)", performance.now() - t, p.stats));
        const pw: number[] = [];
        for (let i = 0; i < 3; i++) {
          t = performance.now();
          await pageReader.page(filter, 50);
          pw.push(performance.now() - t);
        }
        log(`first page, warm (compacted, median) ${(median(pw) / 1000).toFixed(2)} s`);
        const sameAfter = c.count === expected &&
          JSON.stringify(p.events.map((e) => e.id)) === JSON.stringify(pageIds);
        log(
          `after compaction: count ${c.count}, page ${
            sameAfter ? "identical to before" : "DIFFERENT"
          }; ratios ` +
            `after/before: count cold ${(c.stats.elapsedMs / coldCount.stats.elapsedMs).toFixed(2)}, warm ${
              (median(cw) / median(warmCountMs)).toFixed(2)
            }; page cold ${(p.stats.elapsedMs / coldPage.stats.elapsedMs).toFixed(2)}, warm ${
              (median(pw) / median(warmPageMs)).toFixed(2)
            }; peak RSS ${peakRss} MiB`,
        );
        if (!sameAfter) throw new Error("answers after compaction differ");
      }
      const out = `bench/results/cold-query-${new Date().toISOString().slice(0, 10)}.md`;
      await Deno.writeTextFile(out, lines.join("\n") + "\n");
      console.log(`written ${out}`);
      if (!same) throw new Error("the cold query reader's answers differ from the full scan's");
    } finally {
      store.close();
      await sink.close(1000);
    }
  }
}

/**
 * Writes hours `[first, last)` of the corpus under `prefix` and exits: VIGIL_BENCH_WRITE_HOURS=first-last with
 * VIGIL_BENCH_PREFIX, so a few processes share the writing (the cold writer is single-threaded).
 */
async function writeHours(prefix: string, first: number, last: number): Promise<void> {
  const sink = new ColdSink({
    bucket: TEST_BUCKET,
    prefix,
    offsetWindow: 1_000_000_000,
    logger: silentLogger,
    eventTimeWindow: CORPUS_EVENT_TIME_WINDOW,
  });
  try {
    await sink.start();
    for (let hour = first; hour < last; hour++) {
      const records = hourOfEvents(hour);
      const acks = await sink.write(records);
      if (acks.length !== records.length) throw new Error(`hour ${hour}: ${acks.length} acks`);
      console.log(`hour ${hour} written (${records.length} events)`);
    }
  } finally {
    await sink.close(1000);
  }
}

async function main(): Promise<void> {
  const hours = /^(\d+)-(\d+)$/.exec(Deno.env.get("VIGIL_BENCH_WRITE_HOURS") ?? "");
  if (hours !== null) {
    const prefix = Deno.env.get("VIGIL_BENCH_PREFIX") ?? "";
    if (!prefix.startsWith("bench-")) throw new RangeError(`not a bench prefix: ${prefix}`);
    await ensureTestBucket();
    return await writeHours(prefix, Number(hours[1]), Number(hours[2]));
  }
  // VIGIL_BENCH_KEEP=1 keeps the corpus (writing 10 M events takes the better part of an hour on 2 busy cores);
  // VIGIL_BENCH_PREFIX=bench-…/ queries such a kept corpus and deletes it at the end.
  const reuse = Deno.env.get("VIGIL_BENCH_PREFIX");
  const keep = Deno.env.get("VIGIL_BENCH_KEEP") === "1";
  const fresh = testNamespace("coldquery", "bench");
  if (reuse !== undefined && !reuse.startsWith("bench-")) {
    throw new RangeError(`not a bench prefix: ${reuse}`);
  }
  const ns = reuse === undefined ? fresh : { ...fresh, s3Prefix: reuse };
  await ensureTestBucket();
  try {
    await run(ns, reuse !== undefined);
  } finally {
    if (keep) console.log(`corpus kept under ${ns.bucket}/${ns.s3Prefix}`);
    else await dropTestNamespace(ns);
  }
}

if (import.meta.main) await main();
