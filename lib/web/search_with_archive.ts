/**
 * The explorer's search across both tiers. Both tiers file an event under its **routing day** (its event time
 * clamped into the delivery window, `actors/routing_time.ts`): the hot tier as a daily index, the cold tier as a
 * `dt=` partition. The **hot window** starts at the oldest day the hot tier still holds an index for
 * (`hotWindowStart` in `archive_part.ts`); the archive (cold tier) is asked only for what lies before it, so the two parts are
 * disjoint by construction: counts and chart buckets add up, and a replayed archive (Loghub's 2016 lines
 * ingested today) is read from the hot tier while it holds it, whatever its event times. The hot tier is asked
 * for the whole range; an event found in both (it cannot be, unless a day was re-indexed) is shown once, from
 * the hot tier (same document id `<topic>-<partition>-<offset>`, or same event id).
 *
 * The archive part never fails nor stalls the page: it runs beside the hot search under its own deadline, and
 * when it cannot answer (S3 down, its budget spent, a filter it cannot apply) the page is the hot part alone
 * with {@link ArchiveStatus} saying what is missing and why.
 *
 * Paging stays exact across tiers: page `p` takes the newest `p × size` of each tier, merges and cuts
 * `[(p − 1) × size, p × size)`. The total is the hot total plus the archive's count.
 *
 * Known gap: the archive finds a row by the partitions its event time falls in, so a row clamped into a later
 * day (an event older than the delivery window when it was ingested) is found only while the hot tier holds it.
 *
 * @module
 */
import type { ArchiveFilter, ArchiveReader } from "./archive_reader.ts";
import type { EventQuery } from "./event_query.ts";
import { bucketSeconds, resolveTimeWindow } from "./time_window.ts";
import { archiveSpan, askArchive } from "./archive_part.ts";
import type { EventHit, EventPage, HotTierQueries } from "./web_deps.ts";

/** How the explorer reaches the archive (`WebDeps.archive`). */
export interface ArchiveSettings {
  reader: ArchiveReader;
  /**
   * The hot tier's retention in ms (`hot.retentionDays`); 0 or less: it keeps everything and the archive is
   * never asked. The window itself starts at the oldest day the hot tier holds (`hotWindowStart` in `archive_part.ts`).
   */
  hotWindowMs: number;
  /** Longest the archive part may take before the page is answered without it, in ms. Default 5000. */
  timeoutMs?: number;
}

/** What the archive contributed to one answer (an explorer page, a chart). */
export interface ArchiveStatus {
  /** `answered`; `partial`: asked but it failed or ran out of time; `skipped`: not asked (see `reason`). */
  state: "answered" | "partial" | "skipped";
  /** Start of the hot window: events before it come from the archive. */
  hotWindowStart: string;
  /** The part of the range asked of the archive, `[from, to)`. */
  from: string;
  to: string;
  /** Rows of this page from the archive, after dropping copies of hot rows (the explorer only). */
  events?: number;
  /** Matching events in the archive part (when it answered). */
  total?: number;
  /** Why the archive part is missing (partial or skipped). */
  reason?: string;
  /** Filters the archive applies differently from the hot tier. */
  caveats: string[];
  /** Wall time of the archive part, ms. */
  tookMs: number;
}

/** An explorer page with the archive's part described (absent when the range lies inside the hot window). */
export interface TieredEventPage extends EventPage {
  archive?: ArchiveStatus;
}

/** The archive's filter for a query, or why the archive cannot answer it. */
export function archiveFilterOf(
  query: EventQuery,
  from: Date,
  to: Date,
): { filter: ArchiveFilter; caveats: string[] } | { reason: string } {
  if (query.incidentId) return { reason: "the archive does not keep incident ids (filter incidentId)" };
  if (query.sort !== "time" || query.order !== "desc") {
    return { reason: "the archive answers newest first only (sort by time, newest first, to include it)" };
  }
  const caveats: string[] = [];
  const filter: ArchiveFilter = { from, to };
  if (query.level.length > 0) filter.levels = query.level;
  if (query.classification.length > 0) filter.classifications = query.classification;
  for (const key of ["component", "host", "system", "source", "templateId"] as const) {
    if (query[key] !== undefined) filter[key] = query[key];
  }
  if (query.q) {
    filter.text = query.q;
    caveats.push(
      "the text is matched in the archive as one case-insensitive substring of the message (no operators, " +
        "not the raw line nor the template)",
    );
  }
  return { filter, caveats };
}

/**
 * The histogram of matches: each bucket the hot tier's count plus the archive's (their days are disjoint). The
 * buckets are laid out over the window as the hot tier's date histogram does (epoch-aligned), also when the
 * hot tier returned none (it holds no index yet).
 */
function mergeHistogram(
  hot: EventPage["histogram"],
  archived: Map<number, number>,
  window: { from: Date; to: Date },
  stepMs: number,
): NonNullable<EventPage["histogram"]> {
  const hotAt = new Map((hot?.t ?? []).map((sec, i) => [sec, hot!.counts[i]]));
  const t: number[] = [];
  for (let s = Math.floor(window.from.getTime() / stepMs) * stepMs; s <= window.to.getTime(); s += stepMs) {
    t.push(s / 1000);
  }
  // The tiers hold disjoint routing days: a bucket is the sum of both.
  return {
    t,
    counts: t.map((sec) => (archived.get(sec * 1000) ?? 0) + (hotAt.get(sec) ?? 0)),
    stepSec: stepMs / 1000,
  };
}

/**
 * Runs an explorer query on the hot tier and, for the part of its range before the hot window, on the archive.
 *
 * @throws what `hot.searchEvents` throws (an unavailable hot tier is the page's banner, as without an archive)
 */
export async function searchEventsWithArchive(
  hot: HotTierQueries,
  query: EventQuery,
  now: Date,
  archive: ArchiveSettings | undefined,
): Promise<TieredEventPage> {
  const window = resolveTimeWindow(query.range, now, {
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  });
  const span = await archiveSpan(hot, window, now, archive);
  if (span === undefined) return await hot.searchEvents(query);
  const coldTo = span.to;
  const base = { ...span.base, events: 0 };
  const asked = archiveFilterOf(query, window.from, coldTo);
  if ("reason" in asked) {
    const page = await hot.searchEvents(query);
    return { ...page, archive: { ...base, state: "skipped", reason: asked.reason, caveats: [], tookMs: 0 } };
  }

  const started = performance.now();
  const limit = query.page * query.size;
  const timeoutMs = span.timeoutMs;
  // The archive part settles, one way or the other, by its deadline; it never rejects.
  // The same buckets as the hot tier's histogram of matches (`buildEventSearch`).
  const stepMs = bucketSeconds(window, 120) * 1000;
  const archived = askArchive(
    span.reader.search(asked.filter, limit, { timeoutMs, stepMs }),
    timeoutMs,
    started,
  );
  const [top, cold] = await Promise.all([hot.searchEvents({ ...query, page: 1, size: limit }), archived]);
  const hotHits: EventHit[] = top.hits.map((h) => ({ ...h, tier: "hot" }));
  const first = (query.page - 1) * query.size;
  if ("error" in cold) {
    return {
      ...top,
      hits: hotHits.slice(first, first + query.size),
      archive: { ...base, state: "partial", reason: cold.error, caveats: asked.caveats, tookMs: cold.tookMs },
    };
  }
  const held = new Set<string>();
  for (const h of hotHits) {
    held.add(h.docId);
    if (h.id) held.add(`id:${h.id}`);
  }
  const fromArchive = cold.value.events.filter((e) =>
    !held.has(e.docId) && !(e.id && held.has(`id:${e.id}`))
  );
  // Newest first; on equal times the hot row first (a stable sort keeps the concatenation's order).
  const merged = [...hotHits, ...fromArchive].sort((a, b) => Date.parse(b.ts) - Date.parse(a.ts));
  const hits = merged.slice(first, first + query.size);
  return {
    ...top,
    total: top.total + cold.value.total,
    histogram: mergeHistogram(top.histogram, cold.value.histogram, window, stepMs),
    hits,
    tookMs: Math.max(top.tookMs, cold.tookMs),
    archive: {
      ...base,
      state: "answered",
      events: hits.filter((h) => h.tier === "archive").length,
      total: cold.value.total,
      caveats: asked.caveats,
      tookMs: cold.tookMs,
    },
  };
}
