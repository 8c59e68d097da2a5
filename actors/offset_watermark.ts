/**
 * Per-partition watermark of acknowledgements: which offset may be committed to Kafka.
 *
 * The source {@link OffsetWatermark.track tracks} every offset it hands to the pipeline, in partition order.
 * Each tier acknowledges offsets in any order. An offset is *done* once every required tier acknowledged it;
 * the committable offset of a partition is one past the longest done prefix of tracked offsets — Kafka's
 * convention (the committed offset is the next one to read). Offsets need not be contiguous (compaction,
 * transaction markers leave gaps): only tracked offsets count.
 *
 * Each offset remembers when it was tracked, so {@link OffsetWatermark.oldestPending} tells per partition the
 * oldest offset no tier has given up on yet and its age — what a stall watchdog (`stall_watchdog.ts`) needs to
 * notice an event that is neither acknowledged nor dead-lettered, whatever lost it.
 *
 * @module
 */

/** Watermark options. */
export interface OffsetWatermarkOptions {
  /** Names of the tiers that must acknowledge each offset. Default `["hot", "cold"]`. */
  tiers?: readonly string[];
  /** The time source of {@link OffsetWatermark.oldestPending} ages, ms. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  offset: bigint;
  /** When it was tracked (handed to the pipeline), ms. */
  at: number;
  /** Bit mask of the tiers that have not acknowledged yet (bit i = tiers[i]). */
  missing: number;
  /** The size the source gave it (its Kafka message's value, bytes), counted while it is in flight. */
  bytes: number;
}

interface PartitionState {
  /** Tracked offsets in increasing order, each with the tiers still missing; entries before `head` are done. */
  pending: Entry[];
  /** Index of the first entry that is not committable yet (a queue head: `shift()` would be O(n)). */
  head: number;
  /** Next offset to commit (one past the last done offset of the prefix); undefined until one is done. */
  committable?: bigint;
  /** The last committable offset handed out by {@link OffsetWatermark.takeCommits}. */
  committed?: bigint;
  /** Tracked offsets some tier has not acknowledged yet. */
  notDone: number;
  /** Their bytes (see `Entry.bytes`). */
  notDoneBytes: number;
}

/** The oldest offset of a partition that some tier has not acknowledged yet. */
export interface PendingOffset {
  topic: string;
  partition: number;
  /** Decimal offset. */
  offset: string;
  /** How long ago it was handed to the pipeline, ms. */
  ageMs: number;
}

/** A commit to make: the next offset to read for a topic-partition. */
export interface OffsetCommit {
  topic: string;
  partition: number;
  /** Next offset to read, as Kafka expects it (decimal string). */
  offset: string;
}

/**
 * The not yet committable entry of `offset`, or undefined (done, unknown, or not an offset). O(1) when the
 * partition's offsets are contiguous, as they are unless compaction or transaction markers left gaps; a binary
 * search otherwise. (A map by decimal offset cost more per event than the rest of the watermark: measured with
 * thousands in flight, as a backlog keeps them.)
 */
function pendingEntry(s: PartitionState, offset: string | bigint): Entry | undefined {
  const { pending, head } = s;
  if (head >= pending.length) return undefined;
  let o: bigint;
  try {
    if (offset === "") return undefined; // BigInt("") is 0n
    o = typeof offset === "bigint" ? offset : BigInt(offset);
  } catch {
    return undefined; // not a decimal offset: no tracked one matches it
  }
  const first = pending[head].offset;
  if (o < first) return undefined;
  // Offsets increase by at least one per entry, so the entry of `o` is at most `o - first` places past the head.
  const gap = o - first;
  let hi = gap < BigInt(pending.length - head) ? head + Number(gap) : pending.length - 1;
  if (pending[hi].offset === o) return pending[hi];
  let lo = head;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = pending[mid].offset;
    if (m === o) return pending[mid];
    if (m < o) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Tracks acknowledgements per partition; see the module doc. */
export class OffsetWatermark {
  readonly tiers: readonly string[];
  #bits: Map<string, number>;
  #all: number;
  #partitions = new Map<string, { topic: string; partition: number; state: PartitionState }>();
  /**
   * The same states by topic, then partition number: the per-event lookups (`track`, `ack`) find a partition
   * without building a `topic + partition` key string each time.
   */
  #byTopic = new Map<string, (PartitionState | undefined)[]>();
  #notDone = 0;
  #notDoneBytes = 0;
  #now: () => number;

  /**
   * @throws {RangeError} when `tiers` is empty
   */
  constructor(options: OffsetWatermarkOptions = {}) {
    const { tiers = ["hot", "cold"], now = Date.now } = options;
    this.#now = now;
    if (tiers.length === 0 || tiers.length > 30) {
      throw new RangeError(
        `Cannot create OffsetWatermark as tiers must hold 1 to 30 names: current value is [${
          tiers.join(", ")
        }]`,
      );
    }
    this.tiers = [...tiers];
    this.#bits = new Map(this.tiers.map((t, i) => [t, 1 << i]));
    this.#all = (1 << this.tiers.length) - 1;
  }

  #find(topic: string, partition: number): PartitionState | undefined {
    return this.#byTopic.get(topic)?.[partition];
  }

  #state(topic: string, partition: number): PartitionState {
    const found = this.#find(topic, partition);
    if (found !== undefined) return found;
    const state: PartitionState = { pending: [], head: 0, notDone: 0, notDoneBytes: 0 };
    this.#partitions.set(key(topic, partition), { topic, partition, state });
    let states = this.#byTopic.get(topic);
    if (states === undefined) this.#byTopic.set(topic, states = []);
    states[partition] = state;
    return state;
  }

  /**
   * Registers an offset handed to the pipeline. Offsets of a partition must be tracked in increasing order.
   *
   * @param bytes what the event weighs while in flight (the source gives its message value's length), counted
   *   in {@link OffsetWatermark.totalInFlightBytes} until every tier holds it. Default 0.
   * @throws {RangeError} when the offset is not greater than the last tracked one of its partition
   */
  track(topic: string, partition: number, offset: string | bigint, bytes = 0): void {
    const o = typeof offset === "bigint" ? offset : BigInt(offset);
    const s = this.#state(topic, partition);
    const last = s.pending.at(-1)?.offset ?? (s.committable !== undefined ? s.committable - 1n : undefined);
    if (last !== undefined && o <= last) {
      throw new RangeError(
        `Cannot track offset ${o} of ${topic}-${partition} as offsets must increase: last tracked is ${last}`,
      );
    }
    s.pending.push({ offset: o, at: this.#now(), missing: this.#all, bytes });
    s.notDone++;
    s.notDoneBytes += bytes;
    this.#notDone++;
    this.#notDoneBytes += bytes;
  }

  /**
   * Records that `tier` holds the event at `offset` (stored or dead-lettered). Unknown offsets (already
   * committed, or from a revoked partition) and repeated acks are ignored.
   *
   * @returns whether the committable offset of the partition advanced
   */
  ack(topic: string, partition: number, offset: string | bigint, tier: string): boolean {
    const s = this.#find(topic, partition);
    if (s === undefined) return false;
    const entry = pendingEntry(s, offset);
    const bit = this.#bits.get(tier) ?? 0;
    if (entry === undefined || (entry.missing & bit) === 0) return false;
    entry.missing &= ~bit;
    if (entry.missing !== 0) return false;
    s.notDone--;
    s.notDoneBytes -= entry.bytes;
    this.#notDone--;
    this.#notDoneBytes -= entry.bytes;
    let advanced = false;
    while (s.head < s.pending.length && s.pending[s.head].missing === 0) {
      const done = s.pending[s.head++];
      s.committable = done.offset + 1n;
      advanced = true;
    }
    if (s.head > 1024 && s.head * 2 > s.pending.length) {
      // Drop the done prefix now and then, so memory follows what is in flight.
      s.pending = s.pending.slice(s.head);
      s.head = 0;
    }
    return advanced;
  }

  /** Records that every tier holds the event at `offset` (e.g. it was dead-lettered at the source). */
  ackAll(topic: string, partition: number, offset: string | bigint): boolean {
    let advanced = false;
    for (const t of this.tiers) advanced = this.ack(topic, partition, offset, t) || advanced;
    return advanced;
  }

  /** The last offset tracked for a partition (done or not), or undefined when none was. */
  lastTracked(topic: string, partition: number): string | undefined {
    return this.lastTrackedOffset(topic, partition)?.toString();
  }

  /** {@link OffsetWatermark.lastTracked} as a number, for a per-message comparison without parsing. */
  lastTrackedOffset(topic: string, partition: number): bigint | undefined {
    const s = this.#find(topic, partition);
    if (s === undefined) return undefined;
    const last = s.pending[s.pending.length - 1];
    return last !== undefined ? last.offset : s.committable !== undefined ? s.committable - 1n : undefined;
  }

  /** Partitions with state, as `[topic, partition]` pairs. */
  partitions(): [string, number][] {
    return [...this.#partitions.values()].map(({ topic, partition }) => [topic, partition]);
  }

  /** The next offset to commit for a partition, or undefined when nothing new is done. */
  committable(topic: string, partition: number): string | undefined {
    return this.#partitions.get(key(topic, partition))?.state.committable?.toString();
  }

  /** Number of tracked offsets of a partition not yet acknowledged by every tier. */
  inFlight(topic: string, partition: number): number {
    return this.#partitions.get(key(topic, partition))?.state.notDone ?? 0;
  }

  /**
   * Per partition with offsets in flight, the oldest one not acknowledged by every tier and its age. O(1) per
   * partition: the first entry past the done prefix is the oldest not done (acks advance over done ones only).
   */
  oldestPending(): PendingOffset[] {
    const now = this.#now();
    const out: PendingOffset[] = [];
    for (const { topic, partition, state } of this.#partitions.values()) {
      const e = state.pending[state.head];
      if (e !== undefined) out.push({ topic, partition, offset: e.offset.toString(), ageMs: now - e.at });
    }
    return out;
  }

  /** Total tracked offsets not yet acknowledged by every tier, over all partitions. */
  get totalInFlight(): number {
    return this.#notDone;
  }

  /** Bytes of the tracked offsets not yet acknowledged by every tier (as given to `track`), over all partitions. */
  get totalInFlightBytes(): number {
    return this.#notDoneBytes;
  }

  /**
   * The commits that advanced since the last call, and marks them as handed out.
   * Call it on the commit interval; commit the result; on failure, call {@link OffsetWatermark.resetCommitted}.
   */
  takeCommits(): OffsetCommit[] {
    const out: OffsetCommit[] = [];
    for (const { topic, partition, state } of this.#partitions.values()) {
      if (state.committable !== undefined && state.committable !== state.committed) {
        out.push({ topic, partition, offset: state.committable.toString() });
        state.committed = state.committable;
      }
    }
    return out;
  }

  /** Forgets that commits were handed out, so the next {@link OffsetWatermark.takeCommits} repeats them. */
  resetCommitted(commits: readonly OffsetCommit[]): void {
    for (const c of commits) {
      const s = this.#partitions.get(key(c.topic, c.partition))?.state;
      if (s !== undefined && s.committed === BigInt(c.offset)) s.committed = undefined;
    }
  }

  /** Drops a partition's state (after it was revoked and its final commit made). */
  forget(topic: string, partition: number): void {
    const k = key(topic, partition);
    this.#notDone -= this.#partitions.get(k)?.state.notDone ?? 0;
    this.#notDoneBytes -= this.#partitions.get(k)?.state.notDoneBytes ?? 0;
    this.#partitions.delete(k);
    const states = this.#byTopic.get(topic);
    if (states !== undefined) states[partition] = undefined;
  }
}
