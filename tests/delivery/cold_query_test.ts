/**
 * The cold query reader against the real S3 server of the local stack: events written by the real cold sink
 * over two days are counted (in all, and per level, component, template and classification), bucketed
 * (histogram) and paged exactly (compared with the same filters applied to the events in memory), row groups
 * are pruned by their statistics, a second query is served from the local cache, a compaction — also one
 * killed before deleting its sources, and then the day level — changes no answer, and a query over its budget
 * stops with a clear error.
 */
import assert from "node:assert/strict";
import { compact } from "../../actors/cold_compaction/compactor.ts";
import { compactDays } from "../../actors/cold_compaction/day_compactor.ts";
import { ColdSink } from "../../actors/cold_sink/sink.ts";
import { S3ColdService } from "../../actors/cold_sink/service.ts";
import type { ColdService } from "../../actors/cold_sink/service.ts";
import { ColdQueryBudgetError, ColdQueryReader } from "../../actors/cold_query/cold_query.ts";
import { type ColdQueryFilter, rowMatches } from "../../actors/cold_query/cold_query_filter.ts";
import type { DeliveryRecord } from "../../actors/delivery_record.ts";
import type { Classification, Level } from "../../lib/event/log_event.ts";
import { ARCHIVE_EVENT_TIME_WINDOW, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { TEST_BUCKET } from "../../testing/test_namespace.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { silentLogger } from "../../engine/logger.ts";

const HOURS = 48;
const PER_HOUR = 60;
const START = Date.UTC(2016, 8, 26, 0, 0, 0);
const LEVELS: Level[] = ["info", "info", "warn", "info", "error", "info", "debug"];
const CLASSES: Classification[] = ["NORMAL", "NORMAL", "ANOMALY", "NORMAL", "CRITICAL_ANOMALY"];

/** 48 hours × 60 events on 2 partitions; each hour's events carry one component, so statistics can prune. */
function records(): DeliveryRecord[] {
  const out: DeliveryRecord[] = [];
  for (let i = 0; i < HOURS * PER_HOUR; i++) {
    const hour = Math.floor(i / PER_HOUR);
    out.push(deliveryRecord(Math.floor(i / 2), {
      partition: i % 2,
      event: {
        id: `cq:${i}`,
        ts: new Date(START + hour * 3_600_000 + (i % PER_HOUR) * 40_000).toISOString(),
        level: hour % 5 === 0 ? "info" : LEVELS[i % LEVELS.length],
        component: `comp${hour % 3}`,
        content: i % 11 === 0 ? `Disk FAILURE on sector ${i}` : `routine message ${i}`,
        classification: CLASSES[i % CLASSES.length],
        templateId: `tpl${i % 13}`,
      },
    }));
  }
  return out;
}

function expectedCount(all: readonly DeliveryRecord[], filter: ColdQueryFilter): number {
  return all.filter((r) => rowMatches({ ...r.event, ts: new Date(r.event.ts) }, filter)).length;
}

function expectedPage(all: readonly DeliveryRecord[], filter: ColdQueryFilter, limit: number): string[] {
  return all.filter((r) => rowMatches({ ...r.event, ts: new Date(r.event.ts) }, filter))
    .sort((a, b) =>
      b.event.ts.localeCompare(a.event.ts) || b.kafka.partition - a.kafka.partition ||
      Number(b.kafka.offset) - Number(a.kafka.offset)
    )
    .slice(0, limit).map((r) => r.event.id);
}

const FILTERS: ColdQueryFilter[] = [
  // Not aligned to hours: the edge hours' row groups must be read, the others are judged by statistics.
  {
    from: new Date(START + 5.5 * 3_600_000),
    to: new Date(START + 41.25 * 3_600_000),
    levels: ["error"],
    component: "comp1",
  },
  { from: new Date(START), to: new Date(START + HOURS * 3_600_000), component: "comp2" },
  { from: new Date(START), to: new Date(START + HOURS * 3_600_000), levels: ["warn", "error"] },
  { from: new Date(START + 10 * 3_600_000), to: new Date(START + 40 * 3_600_000), text: "disk failure" },
  { from: new Date(START - 86_400_000), to: new Date(START) }, // nothing there
];

/** The real store, killed (every call throws) from the `n`-th delete on. */
function killedAtDelete(service: ColdService, n: number): ColdService {
  let deletes = 0;
  return {
    get: (k) => service.get(k),
    put: (k, b) => service.put(k, b),
    list: (p) => service.list(p),
    ensureBucket: () => service.ensureBucket(),
    close: () => service.close(),
    delete: (k) => {
      if (++deletes >= n) return Promise.reject(new Error("killed between write and delete"));
      return service.delete(k);
    },
  };
}

/** Matching events per 3-hour bucket and per value of `splitBy`, as `ColdQueryReader.histogram` answers. */
function expectedHistogram(
  all: readonly DeliveryRecord[],
  filter: ColdQueryFilter,
  splitBy: "level" | "classification" | "templateId",
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of all) {
    if (!rowMatches({ ...r.event, ts: new Date(r.event.ts) }, filter)) continue;
    const key = `${Math.floor(Date.parse(r.event.ts) / (3 * 3_600_000)) * 3 * 3_600_000} ${r.event[splitBy]}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

const GROUP_COLUMNS = ["level", "component", "templateId", "classification"] as const;

/** Matching events per value of `column`, as `ColdQueryReader.groupCounts` answers. */
function expectedGroups(
  all: readonly DeliveryRecord[],
  filter: ColdQueryFilter,
  column: typeof GROUP_COLUMNS[number],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of all) {
    if (rowMatches({ ...r.event, ts: new Date(r.event.ts) }, filter)) {
      out[r.event[column]] = (out[r.event[column]] ?? 0) + 1;
    }
  }
  return out;
}

async function assertAnswers(reader: ColdQueryReader, all: readonly DeliveryRecord[], when: string) {
  for (const filter of FILTERS) {
    const { count } = await reader.count(filter);
    assert.equal(count, expectedCount(all, filter), `${when}: count of ${JSON.stringify(filter)}`);
    for (const splitBy of ["level", "classification", "templateId"] as const) {
      const { buckets } = await reader.histogram(filter, { stepMs: 3 * 3_600_000, splitBy });
      const got: Record<string, number> = {};
      for (const [start, values] of buckets) for (const [v, n] of values) got[`${start} ${v}`] = n;
      assert.deepEqual(got, expectedHistogram(all, filter, splitBy), `${when}: histogram by ${splitBy}`);
    }
    const grouped = await reader.groupCounts(filter, GROUP_COLUMNS);
    assert.equal(
      grouped.total,
      expectedCount(all, filter),
      `${when}: group total of ${JSON.stringify(filter)}`,
    );
    for (const column of GROUP_COLUMNS) {
      assert.deepEqual(
        Object.fromEntries(grouped.groups.get(column)!),
        expectedGroups(all, filter, column),
        `${when}: counts by ${column} of ${JSON.stringify(filter)}`,
      );
    }
    const { events } = await reader.page(filter, 50);
    assert.deepEqual(
      events.map((e) => e.id),
      expectedPage(all, filter, 50),
      `${when}: page of ${JSON.stringify(filter)}`,
    );
  }
}

Deno.test("cold query: exact counts and pages from the sink's objects, pruned, cached, unchanged by compaction", () =>
  withTestNamespace("coldquery", async (ns) => {
    const all = records();
    const sink = new ColdSink({
      bucket: TEST_BUCKET,
      prefix: ns.s3Prefix,
      offsetWindow: 500,
      logger: silentLogger,
      eventTimeWindow: ARCHIVE_EVENT_TIME_WINDOW, // the 2016 rows in their own hours
    });
    const store = new S3ColdService(sink.config);
    try {
      await sink.start();
      assert.equal((await sink.write(all)).length, all.length);
      const reader = new ColdQueryReader(store, { prefix: ns.s3Prefix });
      await assertAnswers(reader, all, "as written");

      // Pruning, measured on a fresh reader (nothing cached).
      const fresh = new ColdQueryReader(store, { prefix: ns.s3Prefix });
      const first = await fresh.count(FILTERS[0]);
      assert.ok(first.stats.rowGroupsSkipped > 0, "row groups of other components are skipped by statistics");
      assert.ok(first.stats.rowGroupsRead < first.stats.rowGroups, "only some row groups are decoded");
      const whole = await fresh.count(FILTERS[1]);
      assert.ok(
        whole.stats.rowGroupsCounted > 0,
        "a group of one component inside the range is counted whole",
      );
      // Counts by level and component: a group of one level and one component inside the range, from its
      // statistics; by template id, the template column alone is decoded.
      const byStats = await new ColdQueryReader(store, { prefix: ns.s3Prefix }).groupCounts(FILTERS[1], [
        "level",
        "component",
      ]);
      assert.ok(byStats.stats.rowGroupsCounted > 0, "groups of one level and component counted whole");
      const again = await fresh.count(FILTERS[0]);
      assert.equal(again.count, first.count);
      assert.equal(again.stats.s3Bytes, 0, "the second run reads footers and columns from the cache");

      // A compaction killed after writing its first covering object, then one that finishes: same answers.
      const root = `${ns.s3Prefix}events/`;
      await assert.rejects(compact(killedAtDelete(sink.service, 2), root), /killed/);
      await assertAnswers(new ColdQueryReader(store, { prefix: ns.s3Prefix }), all, "compaction killed");
      await compact(sink.service, root);
      await assertAnswers(reader, all, "compacted"); // the same reader: rewritten keys miss by ETag
      // The day level: each day's hour objects merged into day objects (rows re-sorted, new row groups).
      assert.ok((await compactDays(sink.service, root)).written > 0, "day objects written");
      await assertAnswers(reader, all, "day-compacted");

      // Budgets.
      await assert.rejects(
        new ColdQueryReader(store, { prefix: ns.s3Prefix }).count(FILTERS[2], {
          budget: { maxBytes: 1000, maxMs: 60_000 },
        }),
        (err: Error) =>
          err instanceof ColdQueryBudgetError && /over its budget of 1000 bytes/.test(err.message),
      );
      await assert.rejects(reader.count({ ...FILTERS[0], to: FILTERS[0].from }), /--to must be after --from/);
      await assert.rejects(reader.count({ ...FILTERS[0], levels: ["loud"] }), /a level must be one of/);
    } finally {
      store.close();
      await sink.close(1000);
    }
  }));
