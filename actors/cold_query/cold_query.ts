/**
 * The cold query reader: counts and pages of events straight from the cold tier's Parquet objects on S3,
 * reading as little as the layout allows.
 *
 * 1. **Keys.** Only the `dt=/hour=` partitions and compacted day objects (`dt=/classification=/day-…`)
 *    overlapping `[from, to)` are listed (one LIST per day), and of those only the objects the covering rules
 *    leave visible (`visibleKeys`, the rules compaction and replay share: a listing tells which objects a
 *    compaction superseded) — so a compaction killed mid-way never doubles nor hides a row.
 * 2. **Row groups.** Each object's footer (one ranged GET, cached) gives every row group's min/max of `ts`,
 *    `level` and `component`; the writer clusters rows by those, so most groups are skipped, and a count takes a
 *    group that matches as a whole from its row count without decoding it (`row_group_pruning.ts`).
 * 3. **Columns.** A group that must be read fetches only the columns the filter and the answer need (ranged
 *    GETs of their column chunks).
 *
 * A page reads the filter's columns first and the shown columns only of a row group holding a match. Memory
 * stays bounded: one row group per worker is decoded at a time, a page keeps at most `limit` rows, and the two
 * local caches — fetched byte ranges, and decoded columns of row groups already read (what makes a repeated
 * query answer without decoding), both keyed by ETag — have byte bounds. Each query has
 * a budget of S3 bytes and wall time and stops with a {@link ColdQueryBudgetError} past it.
 *
 * Rows are found by their `ts`; an event whose `ts` the sink clamped into another hour (dated decades before or a
 * day after its ingest, see `../routing_time.ts`) lies outside its hour and is not found — as with replay.
 *
 * @module
 */
import {
  type AsyncBuffer,
  type DecodedArray,
  type FileMetaData,
  parquetMetadataAsync,
  parquetScan,
  type RowGroup,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { visibleKeys } from "../cold_compaction/compaction_plan.ts";
import { partitionSpanOf } from "../cold_compaction/hour_partition.ts";
import { STATISTICS_MAX_BYTES } from "../cold_sink/parquet_codec.ts";
import type { ColdObject, ColdRangeService } from "../cold_sink/service.ts";
import { BoundedLru } from "../../lib/incidents/bounded_lru.ts";
import {
  type ColdQueryFilter,
  EXACT_ROW_FIELDS,
  filterColumns,
  validateColdQueryFilter,
} from "./cold_query_filter.ts";
import { judgeRowGroup } from "./row_group_pruning.ts";
import { DEFAULT_QUERY_BUDGET, QueryBudget, type QueryBudgetLimits } from "./query_budget.ts";
import { ByteBoundedLru } from "./byte_bounded_lru.ts";

export { ColdQueryBudgetError } from "./query_budget.ts";

const DAY_MS = 86_400_000;
/** Bytes fetched from an object's end to read its footer in one GET (a larger footer costs a second one). */
const FOOTER_FETCH_BYTES = 64 * 1024;
/**
 * Objects up to this size are fetched whole with their footer: a query is bound by S3 round trips, and a
 * small object's footer GET plus its column GETs cost more time than its few extra bytes (an hour's ANOMALY
 * and CRITICAL_ANOMALY objects are a few KiB).
 */
const SMALL_OBJECT_BYTES = 128 * 1024;

/** One event of a page, as the CLI and the dashboard show it. */
export interface ColdEvent {
  ts: string;
  level: string;
  component: string;
  host: string;
  system: string;
  source: string;
  content: string;
  templateId: string;
  classification: string;
  score: number;
  id: string;
  topic: string;
  partition: number;
  offset: string;
}

const PAGE_COLUMNS = [
  "ts",
  "level",
  "component",
  "host",
  "system",
  "source",
  "content",
  "templateId",
  "classification",
  "score",
  "id",
  "topic",
  "partition",
  "offset",
];

/** A column the cold tier can count events by ({@link ColdQueryReader.groupCounts}). */
export type GroupColumn = "classification" | "level" | "component" | "templateId";

/** What one query read and skipped. */
export interface ColdQueryStats {
  /** Visible objects in the range's hours. */
  objects: number;
  /** Row groups in those objects (footers read). */
  rowGroups: number;
  /** Row groups skipped by their statistics. */
  rowGroupsSkipped: number;
  /** Row groups counted whole from their statistics (count only). */
  rowGroupsCounted: number;
  /** Row groups whose columns were fetched and decoded. */
  rowGroupsRead: number;
  /** Bytes fetched from S3 (ranged GETs). */
  s3Bytes: number;
  /** Ranged GETs sent. */
  s3Requests: number;
  /** Bytes served by the local cache instead. */
  cacheBytes: number;
  /** Bytes a full scan of the range would read: the visible objects' sizes. */
  fullScanBytes: number;
  /** Wall time of the query. */
  elapsedMs: number;
}

/** Options of a {@link ColdQueryReader}. */
export interface ColdQueryReaderOptions {
  /** Key prefix before `events/` (`s3.prefix`). */
  prefix: string;
  /** Bound of the local range cache. Default 256 MiB; 0 turns it off. */
  cacheBytes?: number;
  /** Bound of the decoded-column cache (columns of row groups already read, by an estimate of their heap size).
   * Default 512 MiB; 0 turns it off. */
  decodedCacheBytes?: number;
  /** Footers kept parsed. Default 10 000. */
  cachedFooters?: number;
  /** Objects read at once (S3 round trips overlap; decoding is one thread anyway). Default 32. */
  concurrency?: number;
}

/** Per-query options: the budget. */
export interface ColdQueryOptions {
  budget?: QueryBudgetLimits;
}

function emptyStats(): ColdQueryStats {
  return {
    objects: 0,
    rowGroups: 0,
    rowGroupsSkipped: 0,
    rowGroupsCounted: 0,
    rowGroupsRead: 0,
    s3Bytes: 0,
    s3Requests: 0,
    cacheBytes: 0,
    fullScanBytes: 0,
    elapsedMs: 0,
  };
}

/** One query's spending: its budget and its counters. */
interface QueryRun {
  budget: QueryBudget;
  stats: ColdQueryStats;
}

/** A row group worth reading, with where it is. */
interface Candidate {
  object: ColdObject;
  metadata: FileMetaData;
  groupStart: number;
  groupRows: number;
  /** Latest `ts` in the group (from its statistics; +∞ when unknown). */
  tsMax: number;
}

/** A row group a scan must look at (its statistics did not rule it out), with where it is. */
interface ScannedGroup {
  object: ColdObject;
  metadata: FileMetaData;
  rowGroup: RowGroup;
  groupStart: number;
  groupRows: number;
  /** `all`: every row matches the filter (by statistics); `read`: rows must be checked. */
  verdict: "all" | "read";
}

/** Newest first; ties by Kafka coordinates, newest first, so a page is deterministic. */
function newestFirst(a: ColdEvent, b: ColdEvent): number {
  return b.ts < a.ts
    ? -1
    : b.ts > a.ts
    ? 1
    : b.topic < a.topic
    ? -1
    : b.topic > a.topic
    ? 1
    : b.partition - a.partition ||
      (BigInt(b.offset) < BigInt(a.offset) ? -1 : BigInt(b.offset) > BigInt(a.offset) ? 1 : 0);
}

/** Runs `work` over `items`, `limit` at a time; the first failure stops taking new items and is thrown. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Reads counts and pages of events from the cold tier (see the module doc). */
export class ColdQueryReader {
  readonly #store: ColdRangeService;
  readonly #prefix: string;
  readonly #cache: ByteBoundedLru<Uint8Array>;
  readonly #decoded: ByteBoundedLru<DecodedArray>;
  readonly #footers: BoundedLru<string, FileMetaData>;
  readonly #concurrency: number;

  /** @throws {RangeError | TypeError} when an option is invalid */
  constructor(store: ColdRangeService, options: ColdQueryReaderOptions) {
    if (options.prefix !== "" && !options.prefix.endsWith("/")) {
      throw new TypeError(
        `Cannot create ColdQueryReader as prefix must be empty or end with "/": current value is ${options.prefix}`,
      );
    }
    const concurrency = options.concurrency ?? 32;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(
        `Cannot create ColdQueryReader as concurrency must be a positive integer: current value is ${concurrency}`,
      );
    }
    this.#store = store;
    this.#prefix = options.prefix;
    this.#cache = new ByteBoundedLru(options.cacheBytes ?? 256 * 1024 * 1024, "cold_query_ranges");
    this.#decoded = new ByteBoundedLru(options.decodedCacheBytes ?? 512 * 1024 * 1024, "cold_query_columns");
    this.#footers = new BoundedLru(options.cachedFooters ?? 10_000, "cold_query_footers");
    this.#concurrency = concurrency;
  }

  /** Bytes held by the local range cache. */
  get cachedBytes(): number {
    return this.#cache.bytes;
  }

  /**
   * Counts the events matching `filter`.
   *
   * @throws {ColdQueryBudgetError} past the budget; {@link RangeError} on an invalid filter
   */
  async count(
    filter: ColdQueryFilter,
    options: ColdQueryOptions = {},
  ): Promise<{ count: number; stats: ColdQueryStats }> {
    validateColdQueryFilter(filter);
    const needle = filter.text?.toLowerCase();
    let count = 0;
    const stats = await this.#scan(filter, options, async (g, run) => {
      if (g.verdict === "all") {
        run.stats.rowGroupsCounted++;
        count += g.groupRows;
        return;
      }
      run.budget.check();
      run.stats.rowGroupsRead++;
      // A group whose ts statistics lie inside the range needs no ts column.
      const checkTs = !tsInside(g.rowGroup, filter);
      const columns = filterColumns(filter).filter((c) => checkTs || c !== "ts");
      const data = await this.#columns(g.object, g.metadata, g.groupStart, g.groupRows, columns, run);
      for (let i = 0; i < g.groupRows; i++) if (matchesAt(data, i, filter, needle, checkTs)) count++;
    });
    return { count, stats };
  }

  /**
   * Counts the events matching `filter` per time bucket and per value of one column: buckets of `stepMs`
   * aligned to the epoch (as OpenSearch's `fixed_interval` date histogram aligns them), keyed by their start.
   * A row group that matches whole, lies inside one bucket and holds one value of `splitBy` (its statistics
   * say so: the writer clusters rows by level, then component and ts) is counted without decoding it.
   *
   * @throws {ColdQueryBudgetError} past the budget; {@link RangeError} on an invalid filter or step
   */
  async histogram(
    filter: ColdQueryFilter,
    { stepMs, splitBy }: { stepMs: number; splitBy: GroupColumn },
    options: ColdQueryOptions = {},
  ): Promise<{ buckets: Map<number, Map<string, number>>; stats: ColdQueryStats }> {
    validateColdQueryFilter(filter);
    if (!Number.isInteger(stepMs) || stepMs < 1) {
      throw new RangeError(
        `Cannot query the cold tier as stepMs must be a positive integer: current value is ${stepMs}`,
      );
    }
    const needle = filter.text?.toLowerCase();
    const buckets = new Map<number, Map<string, number>>();
    const add = (t: number, value: string, n: number) => {
      const start = Math.floor(t / stepMs) * stepMs;
      let bucket = buckets.get(start);
      if (bucket === undefined) buckets.set(start, bucket = new Map());
      bucket.set(value, (bucket.get(value) ?? 0) + n);
    };
    const columns = [...new Set([...filterColumns(filter), "ts", splitBy])];
    const stats = await this.#scan(filter, options, async (g, run) => {
      const whole = g.verdict === "all" ? oneBucketOneValue(g.rowGroup, stepMs, splitBy) : undefined;
      if (whole !== undefined) {
        run.stats.rowGroupsCounted++;
        add(whole.t, whole.value, g.groupRows);
        return;
      }
      run.budget.check();
      run.stats.rowGroupsRead++;
      const data = await this.#columns(g.object, g.metadata, g.groupStart, g.groupRows, columns, run);
      for (let i = 0; i < g.groupRows; i++) {
        if (matchesAt(data, i, filter, needle, true)) {
          add((data.ts[i] as Date).getTime(), data[splitBy][i] as string, 1);
        }
      }
    });
    return { buckets, stats };
  }

  /**
   * Counts the events matching `filter` per value of each column of `by` (all values, not a top N: the caller
   * cuts), in one pass. Per row group and column: a group that matches whole and whose statistics hold one
   * exact value of the column is counted from its row count; otherwise only the filter's columns and the
   * columns without one value are fetched and decoded (the writer clusters rows by level, then component, so
   * level and component are often whole; template ids rarely are).
   *
   * @throws {ColdQueryBudgetError} past the budget; {@link RangeError} on an invalid filter or an empty `by`
   */
  async groupCounts(
    filter: ColdQueryFilter,
    by: readonly GroupColumn[],
    options: ColdQueryOptions = {},
  ): Promise<{ total: number; groups: Map<GroupColumn, Map<string, number>>; stats: ColdQueryStats }> {
    validateColdQueryFilter(filter);
    if (by.length === 0) {
      throw new RangeError("Cannot query the cold tier as by must name a column: current value is []");
    }
    const needle = filter.text?.toLowerCase();
    let total = 0;
    const groups = new Map<GroupColumn, Map<string, number>>(by.map((c) => [c, new Map()]));
    const add = (column: GroupColumn, value: string, n: number) => {
      const counts = groups.get(column)!;
      counts.set(value, (counts.get(value) ?? 0) + n);
    };
    const stats = await this.#scan(filter, options, async (g, run) => {
      // Columns whose value the statistics give (one exact value); the rest must be decoded.
      const known = new Map<GroupColumn, string>();
      for (const column of by) {
        const value = oneValue(g.rowGroup, column);
        if (value !== undefined) known.set(column, value);
      }
      const unknown = by.filter((c) => !known.has(c));
      if (g.verdict === "all" && unknown.length === 0) {
        run.stats.rowGroupsCounted++;
        total += g.groupRows;
        for (const [column, value] of known) add(column, value, g.groupRows);
        return;
      }
      run.budget.check();
      run.stats.rowGroupsRead++;
      const checkTs = g.verdict !== "all" && !tsInside(g.rowGroup, filter);
      const columns = [
        ...new Set([
          ...(g.verdict === "all" ? [] : filterColumns(filter).filter((c) => checkTs || c !== "ts")),
          ...unknown,
        ]),
      ];
      const data = await this.#columns(g.object, g.metadata, g.groupStart, g.groupRows, columns, run);
      let matched = 0;
      for (let i = 0; i < g.groupRows; i++) {
        if (g.verdict !== "all" && !matchesAt(data, i, filter, needle, checkTs)) continue;
        matched++;
        for (const column of unknown) add(column, data[column][i] as string, 1);
      }
      total += matched;
      for (const [column, value] of known) if (matched > 0) add(column, value, matched);
    });
    return { total, groups, stats };
  }

  /**
   * The newest `limit` events matching `filter`, newest first. Hours are read newest first and the search stops
   * once `limit` events are held and no unread row group can hold a later one.
   *
   * @throws {ColdQueryBudgetError} past the budget; {@link RangeError} on an invalid filter or limit
   */
  async page(
    filter: ColdQueryFilter,
    limit: number,
    options: ColdQueryOptions = {},
  ): Promise<{ events: ColdEvent[]; stats: ColdQueryStats }> {
    validateColdQueryFilter(filter);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new RangeError(
        `Cannot query the cold tier as limit must be 1 to 10000: current value is ${limit}`,
      );
    }
    const run: QueryRun = {
      budget: new QueryBudget(options.budget ?? DEFAULT_QUERY_BUDGET),
      stats: emptyStats(),
    };
    const needle = filter.text?.toLowerCase();
    const columns = filterColumns(filter);
    let events: ColdEvent[] = [];
    const objects = await this.#objectsIn(filter, run);
    // Latest-ending partition first (an hour, or a compacted day): once a page is full, a partition that ends
    // before its oldest event (its rows' ts all earlier) cannot change it, nor can any after it in this order.
    const byHour = new Map<number, ColdObject[]>();
    for (const o of objects) {
      const end = partitionSpanOf(o.key)!.end;
      byHour.set(end, [...byHour.get(end) ?? [], o]);
    }
    for (const hourEnd of [...byHour.keys()].sort((a, b) => b - a)) {
      if (events.length >= limit && hourEnd <= Date.parse(events[limit - 1].ts)) break;
      const candidates: Candidate[] = [];
      await forEachLimited(byHour.get(hourEnd)!, this.#concurrency, async (object) => {
        const metadata = await this.#footer(object, run);
        let groupStart = 0;
        for (const rowGroup of metadata.row_groups) {
          const groupRows = Number(rowGroup.num_rows);
          run.stats.rowGroups++;
          if (judgeRowGroup(rowGroup, filter, STATISTICS_MAX_BYTES) === "skip") run.stats.rowGroupsSkipped++;
          else {
            const stats = rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === "ts")?.meta_data
              ?.statistics;
            const max = stats?.max_value ?? stats?.max;
            candidates.push({
              object,
              metadata,
              groupStart,
              groupRows,
              tsMax: max instanceof Date ? max.getTime() : Infinity,
            });
          }
          groupStart += groupRows;
        }
      });
      // Latest groups first: a group whose latest ts is older than a full page's oldest cannot enter it.
      candidates.sort((a, b) => b.tsMax - a.tsMax);
      for (const c of candidates) {
        if (events.length >= limit && c.tsMax < Date.parse(events[limit - 1].ts)) {
          run.stats.rowGroupsSkipped++;
          continue;
        }
        run.budget.check();
        run.stats.rowGroupsRead++;
        // The filter's columns first; the page's other columns only for a group holding a match.
        const data = await this.#columns(c.object, c.metadata, c.groupStart, c.groupRows, columns, run);
        const matches: number[] = [];
        for (let i = 0; i < c.groupRows; i++) if (matchesAt(data, i, filter, needle, true)) matches.push(i);
        if (matches.length === 0) continue;
        const shown = await this.#columns(c.object, c.metadata, c.groupStart, c.groupRows, PAGE_COLUMNS, run);
        for (const i of matches) events.push(toColdEvent(shown, i));
        events.sort(newestFirst);
        if (events.length > limit) events = events.slice(0, limit);
      }
    }
    run.stats.elapsedMs = Date.now() - run.budget.startedAt;
    return { events, stats: run.stats };
  }

  /**
   * Walks every row group of the objects `filter` may match, `concurrency` objects at a time, counting each
   * group and skipping those its statistics rule out; `visit` gets the rest. The one loop of the counting
   * queries (count, histogram, group counts).
   *
   * @returns the run's statistics, elapsed time set
   */
  async #scan(
    filter: ColdQueryFilter,
    options: ColdQueryOptions,
    visit: (group: ScannedGroup, run: QueryRun) => Promise<void>,
  ): Promise<ColdQueryStats> {
    const run: QueryRun = {
      budget: new QueryBudget(options.budget ?? DEFAULT_QUERY_BUDGET),
      stats: emptyStats(),
    };
    const objects = await this.#objectsIn(filter, run);
    await forEachLimited(objects, this.#concurrency, async (object) => {
      const metadata = await this.#footer(object, run);
      let groupStart = 0;
      for (const rowGroup of metadata.row_groups) {
        const groupRows = Number(rowGroup.num_rows);
        const start = groupStart;
        groupStart += groupRows;
        run.stats.rowGroups++;
        const verdict = judgeRowGroup(rowGroup, filter, STATISTICS_MAX_BYTES);
        if (verdict === "skip") {
          run.stats.rowGroupsSkipped++;
          continue;
        }
        await visit({ object, metadata, rowGroup, groupStart: start, groupRows, verdict }, run);
      }
    });
    run.stats.elapsedMs = Date.now() - run.budget.startedAt;
    return run.stats;
  }

  /** The visible objects of the hours (and compacted days) overlapping the filter's range (one LIST per day). */
  async #objectsIn(filter: ColdQueryFilter, run: QueryRun): Promise<ColdObject[]> {
    const from = filter.from.getTime();
    const to = filter.to.getTime();
    const days: string[] = [];
    for (let d = Math.floor(from / DAY_MS) * DAY_MS; d < to; d += DAY_MS) {
      days.push(`${this.#prefix}events/dt=${new Date(d).toISOString().slice(0, 10)}/`);
    }
    const listed: ColdObject[] = [];
    await forEachLimited(days, this.#concurrency, async (day) => {
      run.budget.check();
      for (const o of await this.#store.listObjects(day)) {
        const span = partitionSpanOf(o.key);
        if (span !== undefined && span.end > from && span.start < to) listed.push(o);
      }
    });
    const visible = new Set(visibleKeys(listed.map((o) => o.key)));
    const objects = listed.filter((o) => visible.has(o.key) && o.size > 0);
    run.stats.objects = objects.length;
    run.stats.fullScanBytes = objects.reduce((sum, o) => sum + o.size, 0);
    return objects;
  }

  /** The object's footer, from the parsed-footer cache or one ranged GET of its end. */
  async #footer(object: ColdObject, run: QueryRun): Promise<FileMetaData> {
    const id = `${object.key}\u0000${object.etag}`;
    const cached = this.#footers.get(id);
    if (cached !== undefined) return cached;
    const metadata = await parquetMetadataAsync(this.#buffer(object, run), {
      initialFetchSize: object.size <= SMALL_OBJECT_BYTES ? object.size : FOOTER_FETCH_BYTES,
    });
    this.#footers.set(id, metadata);
    return metadata;
  }

  /**
   * Columns of one row group, decoded: from the decoded-column cache, else through a hyparquet scan that fetches
   * only those columns' chunks.
   */
  async #columns(
    object: ColdObject,
    metadata: FileMetaData,
    groupStart: number,
    groupRows: number,
    columns: readonly string[],
    run: QueryRun,
  ): Promise<Record<string, DecodedArray>> {
    const out: Record<string, DecodedArray> = {};
    const missing: string[] = [];
    for (const column of columns) {
      const hit = this.#decoded.get(`${object.key}\u0000${object.etag}\u0000${groupStart}\u0000${column}`);
      if (hit !== undefined) out[column] = hit;
      else missing.push(column);
    }
    if (missing.length === 0) return out;
    const scan = await parquetScan({
      file: this.#buffer(object, run),
      metadata,
      columns: missing,
      compressors,
    });
    await Promise.all(missing.map(async (column) => {
      const data = await scan.readColumn({ column, rowStart: groupStart, rowEnd: groupStart + groupRows });
      out[column] = data;
      this.#decoded.set(
        `${object.key}\u0000${object.etag}\u0000${groupStart}\u0000${column}`,
        data,
        decodedSize(data),
      );
    }));
    return out;
  }

  /** The object as hyparquet reads it: ranges from the cache, else one ranged GET each, charged to the budget. */
  #buffer(object: ColdObject, run: QueryRun): AsyncBuffer {
    return {
      byteLength: object.size,
      slice: async (start: number, end: number = object.size): Promise<ArrayBuffer> => {
        const id = `${object.key}\u0000${object.etag}\u0000${start}\u0000${end}`;
        const whole = `${object.key}\u0000${object.etag}\u0000${0}\u0000${object.size}`;
        // A range of an object already fetched whole (a small one, with its footer) is cut from it.
        let bytes = this.#cache.get(id) ?? this.#cache.get(whole)?.subarray(start, end);
        if (bytes !== undefined) run.stats.cacheBytes += bytes.byteLength;
        else {
          run.budget.charge(end - start);
          bytes = await this.#store.getRange(object.key, start, end);
          run.stats.s3Requests++;
          run.stats.s3Bytes += bytes.byteLength;
          this.#cache.set(id, bytes, bytes.byteLength);
        }
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      },
    };
  }
}

function toColdEvent(columns: Record<string, DecodedArray>, i: number): ColdEvent {
  const at = (name: string) => columns[name][i] as unknown;
  return {
    ts: (at("ts") as Date).toISOString(),
    level: at("level") as string,
    component: at("component") as string,
    host: at("host") as string,
    system: at("system") as string,
    source: at("source") as string,
    content: at("content") as string,
    templateId: at("templateId") as string,
    classification: at("classification") as string,
    score: at("score") as number,
    id: at("id") as string,
    topic: at("topic") as string,
    partition: at("partition") as number,
    offset: String(at("offset")),
  };
}

/** Row `i` of decoded filter columns passes the filter (`ts` checked only when `checkTs`). */
function matchesAt(
  columns: Record<string, DecodedArray>,
  i: number,
  filter: ColdQueryFilter,
  needle: string | undefined,
  checkTs: boolean,
): boolean {
  if (filter.levels !== undefined && !filter.levels.includes(columns.level[i] as string)) return false;
  if (filter.component !== undefined && columns.component[i] !== filter.component) return false;
  if (
    filter.classifications !== undefined &&
    !filter.classifications.includes(columns.classification[i] as string)
  ) {
    return false;
  }
  for (const f of EXACT_ROW_FIELDS) if (filter[f] !== undefined && columns[f][i] !== filter[f]) return false;
  if (checkTs) {
    const t = (columns.ts[i] as Date).getTime();
    if (t < filter.from.getTime() || t >= filter.to.getTime()) return false;
  }
  return needle === undefined || (columns.content[i] as string).toLowerCase().includes(needle);
}

/** The one exact value of `column` in a row group by its statistics; `undefined` when it may hold several. */
function oneValue(rowGroup: RowGroup, column: string): string | undefined {
  const v = rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === column)?.meta_data?.statistics;
  const min = v?.min_value ?? v?.min;
  const max = v?.max_value ?? v?.max;
  // A value as long as the statistics limit may be a cut prefix shared by different values.
  if (
    typeof min !== "string" || min !== max || new TextEncoder().encode(min).length >= STATISTICS_MAX_BYTES
  ) {
    return undefined;
  }
  return min;
}

/**
 * The bucket and the value of a row group whose `ts` statistics lie inside one bucket of `stepMs` and whose
 * `column` statistics are one exact value; `undefined` otherwise (it must be read).
 */
function oneBucketOneValue(
  rowGroup: RowGroup,
  stepMs: number,
  column: string,
): { t: number; value: string } | undefined {
  const stat = (name: string) =>
    rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === name)?.meta_data
      ?.statistics;
  const ts = stat("ts");
  const tMin = ts?.min_value ?? ts?.min;
  const tMax = ts?.max_value ?? ts?.max;
  if (!(tMin instanceof Date) || !(tMax instanceof Date)) return undefined;
  if (Math.floor(tMin.getTime() / stepMs) !== Math.floor(tMax.getTime() / stepMs)) return undefined;
  const value = oneValue(rowGroup, column);
  return value === undefined ? undefined : { t: tMin.getTime(), value };
}

/** True when the group's ts statistics lie inside `[from, to)`: its rows need no ts check. */
function tsInside(rowGroup: RowGroup, filter: ColdQueryFilter): boolean {
  const stats = rowGroup.columns.find((c) => c.meta_data?.path_in_schema[0] === "ts")?.meta_data?.statistics;
  const min = stats?.min_value ?? stats?.min;
  const max = stats?.max_value ?? stats?.max;
  return min instanceof Date && max instanceof Date && min.getTime() >= filter.from.getTime() &&
    max.getTime() < filter.to.getTime();
}

/** Rough heap size of a decoded column, for the decoded-column cache's bound. */
function decodedSize(data: DecodedArray): number {
  if (ArrayBuffer.isView(data)) return data.byteLength;
  let bytes = 16 * data.length;
  for (const v of data as unknown[]) if (typeof v === "string") bytes += 2 * v.length;
  return bytes;
}
