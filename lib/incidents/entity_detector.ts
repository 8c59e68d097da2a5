/**
 * The entity detector: one address behind many failures. Problem lines (failure wording, or level ≥ warn)
 * are counted per IP address they mention, per system, in a window of event time; an address with at least
 * `minCount` of them in `windowMs` is an episode — a brute force, a misbehaving client, a peer that keeps
 * dropping — and every later problem line naming it belongs to that episode until a whole window passes with
 * fewer than a quarter of `minCount`. The signal names the address, its count and the user names tried.
 *
 * Addresses come from the message itself (IPv4, and IPv6 in its usual colon forms), not from template
 * parameters: the miner may fold `rhost=1.2.3.4` into one token. Only the head of a message is scanned, and
 * the expressions are linear.
 *
 * @module
 */
import { LEVELS } from "../event/log_event.ts";
import { BoundedLru } from "./bounded_lru.ts";
import type { DetectorInput, DetectorSignal } from "./detector_signal.ts";

/** Options of {@link EntityDetector}. */
export interface EntityDetectorOptions {
  /** Problem lines naming one address within `windowMs` that make an episode. Default 20. */
  minCount?: number;
  /** Window, ms of event time. Default 600 000. */
  windowMs?: number;
  /** Most addresses tracked. Default 50 000. */
  maxKeys?: number;
}

interface EntityState {
  windowStart: number;
  count: number;
  /** Problem lines since the episode began (0 = no episode). */
  episode: number;
  firstMs: number;
  users: string[];
}

// An address stands alone: after a space, `=`, `/`, `(`, `[`, `@`, `:`, a quote or the start, and before a space,
// a port, a closing bracket or punctuation — so a version such as `~~6.1.1.5` inside a package name is no address.
const IPV4 = /(?<=^|[\s=\/(\[@:'"<,])((?:\d{1,3}\.){3}\d{1,3})(?=$|:\d|[\s)\]'">,;]|\.(?!\d))/g;
const IPV6 = /(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![0-9a-f:])/i;
const USER = /(?:invalid user |\buser=|password for (?:invalid user )?)([A-Za-z0-9._-]{1,32})/gi;
const WARN_RANK = LEVELS.indexOf("warn");
const SCAN_CHARS = 512;
const MAX_USERS = 10;
const NOT_USERS = new Set(["invalid", "user", "from", "unknown"]);

/** The first IP address a message mentions, if any. */
export function addressIn(content: string): string | undefined {
  const t = content.length > SCAN_CHARS ? content.slice(0, SCAN_CHARS) : content;
  for (const m of t.matchAll(IPV4)) {
    if (m[1].split(".").every((o) => Number(o) <= 255)) return m[1];
  }
  return IPV6.exec(t)?.[0];
}

/** Detects addresses behind many failures (see module doc). */
export class EntityDetector {
  readonly options: Readonly<Required<EntityDetectorOptions>>;
  readonly #entities: BoundedLru<string, EntityState>;

  /** @throws {RangeError} on out-of-range options. */
  constructor(options: EntityDetectorOptions = {}) {
    const o = {
      minCount: options.minCount ?? 20,
      windowMs: options.windowMs ?? 600_000,
      maxKeys: options.maxKeys ?? 50_000,
    };
    if (!Number.isInteger(o.minCount) || o.minCount < 2) {
      throw new RangeError(
        `Cannot create EntityDetector as minCount must be an integer ≥ 2: current value is ${o.minCount}`,
      );
    }
    this.options = Object.freeze(o);
    this.#entities = new BoundedLru(o.maxKeys, "entity_keys");
  }

  /** Keys forgotten to stay within `maxKeys` (its bounded state), since creation. */
  get evicted(): number {
    return this.#entities.evicted;
  }

  /** Learns one event; returns a signal when it is a problem line of an address in an episode. */
  observe(input: DetectorInput): DetectorSignal | undefined {
    const problem = input.semantics || LEVELS.indexOf(input.level) >= WARN_RANK;
    if (!problem) return undefined;
    const e = input.event;
    const address = addressIn(e.content);
    if (address === undefined) return undefined;
    const key = `${e.system}\u0000${address}`;
    let s = this.#entities.get(key);
    const o = this.options;
    if (s === undefined) {
      s = { windowStart: input.tsMs, count: 0, episode: 0, firstMs: input.tsMs, users: [] };
    }
    if (input.tsMs - s.windowStart >= o.windowMs) {
      // A whole window with few lines ends the episode.
      if (s.count < o.minCount / 4) {
        s.episode = 0;
        s.users = [];
      }
      s.windowStart = input.tsMs;
      s.count = 0;
    }
    s.count++;
    const head = e.content.length > SCAN_CHARS ? e.content.slice(0, SCAN_CHARS) : e.content;
    for (const m of head.matchAll(USER)) {
      const u = m[1];
      if (
        !NOT_USERS.has(u.toLowerCase()) && u !== address && !s.users.includes(u) && s.users.length < MAX_USERS
      ) {
        s.users.push(u);
      }
    }
    if (s.episode === 0 && s.count >= o.minCount) {
      s.episode = s.count;
      s.firstMs = s.windowStart;
    } else if (s.episode > 0) s.episode++;
    this.#entities.set(key, s);
    if (s.episode === 0) return undefined;
    const minutes = Math.max(1, Math.round((input.tsMs - s.firstMs) / 60_000));
    const users = s.users.length === 0 ? "" : `; users tried: ${s.users.join(", ")}`;
    return {
      detector: "entity",
      severity: "ANOMALY",
      scope: `e:${address}`,
      host: "*",
      evidence: Math.min(0.95, 0.7 + 0.05 * Math.log2(s.episode / o.minCount + 1)),
      reasons: [`${s.episode} problem lines from ${address} in ${minutes} min${users}`],
      rate: { count: s.episode, baseline: 0 },
    };
  }

  /** The persisted form. */
  toJSON(): { version: 1; entities: [string, EntityState][] } {
    return { version: 1, entities: [...this.#entities.entries()] };
  }

  /** Restores {@link toJSON}'s output (unknown shapes are ignored). */
  restore(snapshot: { version: 1; entities: [string, EntityState][] }): void {
    if (snapshot?.version !== 1 || !Array.isArray(snapshot.entities)) return;
    for (const [k, v] of snapshot.entities) {
      this.#entities.set(String(k), { ...v, users: [...(v.users ?? [])] });
    }
  }
}
