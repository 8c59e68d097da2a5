/**
 * The synthetic Windows CBS/CSI log source: realistic `Windows_2k.log`-shaped lines, deterministic for a seed,
 * with injected anomalies and ground truth for every line (see {@link "./synthetic_labels.ts"} for the exact
 * label semantics and file formats).
 *
 * Lines look like `2016-09-28 04:30:31, Info                  CBS    Session: 30546173_4261722401 initialized
 * by client WindowsUpdateAgent.` — level padded to 22 characters, component to 7 — and parse with the
 * `windows` format preset (`<Date> <Time>, <Level> <Component> <Content>`).
 *
 * Time is *event time*: the generator advances a clock with Poisson inter-arrival times at `rate` events/s
 * (faster during rate spikes and bursts), and the producer's pacing follows those timestamps, so a spike in
 * the data is a spike on the wire. The template sequence does not depend on `rate` (time-derived
 * values such as session ids do).
 *
 * @example
 * ```ts
 * import { SyntheticWindowsSource } from "./synthetic_windows.ts";
 * const source = new SyntheticWindowsSource({ seed: 7, rate: 200 });
 * for (let i = 0; i < 3; i++) console.log(source.next().line);
 * ```
 *
 * @module
 */
import type { Classification } from "../event/log_event.ts";
import { SeededRandom, WeightedPicker, zipfWeights } from "./seeded_random.ts";
import { ANOMALY_KINDS, type AnomalyKind, type EpisodeRecord, type LineLabel } from "./synthetic_labels.ts";
import {
  ACTIVITIES,
  ACTIVITY_WEIGHTS,
  BURST_TEMPLATES,
  NORMAL_TEMPLATES,
  NOVEL_TEMPLATES,
  type RenderContext,
  templateByKey,
  type WindowsTemplate,
} from "./windows_templates.ts";
import { WindowsHostState } from "./windows_vocabulary.ts";

/** An episode placed at a fixed line (for tests and reproducible demos). */
export interface ScheduledEpisode {
  kind: AnomalyKind;
  /** The episode starts just before this 1-based line is generated. */
  atLine: number;
}

/** How anomalies are injected. Every field has a default. */
export interface AnomalyOptions {
  /** Kinds to inject, used round-robin. Default: all four. */
  kinds?: AnomalyKind[];
  /** Mean number of lines between episode starts (exponentially distributed). Default 5000. */
  every?: number;
  /** Explicit episodes; when given, no random ones are injected. */
  schedule?: ScheduledEpisode[];
  /** Lines an error burst lasts, [min, max]. Default [20, 150]. */
  burstLines?: [number, number];
  /** Rate multiplier during an error burst. Default 5. */
  burstFactor?: number;
  /** Novel-failure lines per episode, [min, max]. Default [1, 4]. */
  novelLines?: [number, number];
  /** Rate-spike duration in event-time seconds, [min, max]. Default [3, 10]. */
  spikeSeconds?: [number, number];
  /** Rate multiplier during a spike, [min, max]. Default [4, 10]. */
  spikeFactor?: [number, number];
  /** Silence duration in event-time seconds, [min, max]. Default [20, 90]. */
  silenceSeconds?: [number, number];
  /** The component that falls silent. Default `CSI`. */
  silentComponent?: string;
}

/** Options of {@link SyntheticWindowsSource}. */
export interface SyntheticWindowsOptions {
  /** PRNG seed; equal seeds and options give equal lines and labels. Default 1. */
  seed?: number;
  /** Event time of the first line, ms since the epoch. Default 2016-09-28T04:30:30Z. */
  startMs?: number;
  /** Mean events per second of event time outside episodes. Default 100. */
  rate?: number;
  /** Anomaly injection; `false` for clean traffic. Default: all kinds, every ~5000 lines. */
  anomalies?: AnomalyOptions | false;
  /**
   * Number of machines logging (a fleet): each activity runs on one host, drawn with Zipf-like weights, and
   * every host has its own inventory and CSI counter. Default 1.
   */
  hosts?: number;
  /** Host names are `<hostPrefix>-01`, `-02`, ... (or just the prefix with one host). Default `WIN-SRV`. */
  hostPrefix?: string;
}

/** One generated line with its event time and ground truth. */
export interface SyntheticLine {
  lineNo: number;
  /** Event time in ms since the epoch (the line itself shows whole seconds). */
  timeMs: number;
  line: string;
  /** The machine that logged the line (the line format itself has no host). */
  host: string;
  label: LineLabel;
}

interface ActiveEpisode {
  record: EpisodeRecord;
  /** Lines left (burst, novel) or end time (spike, silence). */
  linesLeft: number;
  endMs: number;
  factor: number;
  templates: WindowsTemplate[];
}

const DEFAULT_START_MS = Date.UTC(2016, 8, 28, 4, 30, 30);

function checkRange(name: string, r: [number, number], min: number): void {
  if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] >= min && r[1] >= r[0])) {
    throw new RangeError(
      `Cannot create SyntheticWindowsSource as ${name} must be [min, max] with ${min} <= min <= max: current value is [${r}]`,
    );
  }
}

/** Formats the CBS.log header of a line: `2016-09-28 04:30:31, Info                  CBS    `. */
export function formatWindowsLine(timeMs: number, level: string, component: string, content: string): string {
  const iso = new Date(timeMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}, ${level.padEnd(22)}${component.padEnd(7)}${content}`;
}

/** A deterministic, endless generator of synthetic Windows servicing log lines with ground truth. */
export class SyntheticWindowsSource {
  readonly #content: SeededRandom;
  readonly #time: SeededRandom;
  readonly #chaos: SeededRandom;
  readonly #hosts: { name: string; state: WindowsHostState }[];
  readonly #hostPicker: WeightedPicker;
  readonly #hostRandom: SeededRandom;
  #hostIndex = 0;
  readonly #activities = new WeightedPicker(ACTIVITY_WEIGHTS);
  readonly #meanGapMs: number;
  readonly #anomalies: Required<Omit<AnomalyOptions, "schedule">> | undefined;
  readonly #schedule: ScheduledEpisode[] | undefined;
  readonly #episodes: EpisodeRecord[] = [];
  #pending: string[] = [];
  #pendingIndex = 0;
  #lineNo = 0;
  #timeMs: number;
  #active: ActiveEpisode | undefined;
  #nextEpisodeAt = Infinity;
  #kindIndex = 0;

  /**
   * @param options seed, start time, rate and anomaly injection
   * @throws {RangeError} when a rate, count or range is out of bounds
   */
  constructor(options: SyntheticWindowsOptions = {}) {
    const seed = options.seed ?? 1;
    const rate = options.rate ?? 100;
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(
        `Cannot create SyntheticWindowsSource as rate must be a positive number: current value is ${rate}`,
      );
    }
    this.#meanGapMs = 1000 / rate;
    this.#timeMs = options.startMs ?? DEFAULT_START_MS;
    if (!Number.isFinite(this.#timeMs)) {
      throw new RangeError(`Cannot create SyntheticWindowsSource as startMs is not finite`);
    }
    this.#content = new SeededRandom(seed);
    this.#time = new SeededRandom(seed + 7919);
    this.#chaos = new SeededRandom(seed + 104_729);
    const hosts = options.hosts ?? 1;
    if (!Number.isInteger(hosts) || hosts < 1 || hosts > 10_000) {
      throw new RangeError(
        `Cannot create SyntheticWindowsSource as hosts must be an integer in 1..10000: current value is ${hosts}`,
      );
    }
    const prefix = options.hostPrefix ?? "WIN-SRV";
    // Host 0 draws its inventory from the content stream (as a single host always did); the others from their
    // own streams, so adding hosts does not change what host 0 logs.
    this.#hosts = Array.from({ length: hosts }, (_, i) => ({
      name: hosts === 1 ? prefix : `${prefix}-${String(i + 1).padStart(2, "0")}`,
      state: new WindowsHostState(i === 0 ? this.#content : new SeededRandom(seed + 31_337 * (i + 1))),
    }));
    this.#hostPicker = new WeightedPicker(zipfWeights(hosts, 0.6));
    this.#hostRandom = new SeededRandom(seed + 65_537);
    if (options.anomalies !== false) {
      const a = options.anomalies ?? {};
      this.#anomalies = {
        kinds: a.kinds ?? [...ANOMALY_KINDS],
        every: a.every ?? 5000,
        burstLines: a.burstLines ?? [20, 150],
        burstFactor: a.burstFactor ?? 5,
        novelLines: a.novelLines ?? [1, 4],
        spikeSeconds: a.spikeSeconds ?? [3, 10],
        spikeFactor: a.spikeFactor ?? [4, 10],
        silenceSeconds: a.silenceSeconds ?? [20, 90],
        silentComponent: a.silentComponent ?? "CSI",
      };
      const an = this.#anomalies;
      for (const k of an.kinds) {
        if (!ANOMALY_KINDS.includes(k)) {
          throw new RangeError(`Cannot create SyntheticWindowsSource as anomaly kind ${k} is unknown`);
        }
      }
      if (an.kinds.length === 0 && !a.schedule) this.#anomalies = undefined;
      if (!(an.every >= 1)) {
        throw new RangeError(
          `Cannot create SyntheticWindowsSource as anomalies.every must be >= 1: current value is ${an.every}`,
        );
      }
      checkRange("anomalies.burstLines", an.burstLines, 1);
      checkRange("anomalies.novelLines", an.novelLines, 1);
      checkRange("anomalies.spikeSeconds", an.spikeSeconds, 0.001);
      checkRange("anomalies.spikeFactor", an.spikeFactor, 1);
      checkRange("anomalies.silenceSeconds", an.silenceSeconds, 0.001);
      if (!(an.burstFactor >= 1)) {
        throw new RangeError(`Cannot create SyntheticWindowsSource as anomalies.burstFactor must be >= 1`);
      }
      if (a.schedule) {
        this.#schedule = [...a.schedule].sort((x, y) => x.atLine - y.atLine);
        this.#nextEpisodeAt = this.#schedule[0]?.atLine ?? Infinity;
      } else if (this.#anomalies) {
        this.#nextEpisodeAt = 1 + Math.round(this.#chaos.exponential(an.every));
      }
    }
  }

  /** The episodes injected so far (the last may still be running). */
  episodes(): EpisodeRecord[] {
    return this.#episodes.map((e) => ({ ...e }));
  }

  /** Generates the next line. */
  next(): SyntheticLine {
    for (;;) {
      if (!this.#active && this.#lineNo + 1 >= this.#nextEpisodeAt) this.#startEpisode();
      const ep = this.#active;
      const factor = ep?.factor ?? 1;
      this.#timeMs += this.#time.exponential(this.#meanGapMs / factor);
      if (
        ep && (ep.record.kind === "rate_spike" || ep.record.kind === "silent_component") &&
        this.#timeMs > ep.endMs
      ) {
        this.#endEpisode();
        continue;
      }
      let template: WindowsTemplate;
      let label: Classification = "NORMAL";
      let kind: LineLabel["kind"] = "none";
      if (ep?.record.kind === "novel_failure") {
        template = this.#content.pick(ep.templates);
        label = "CRITICAL_ANOMALY";
        kind = "novel_failure";
      } else if (ep?.record.kind === "error_burst" && this.#chaos.chance(0.75)) {
        template = this.#content.pick(ep.templates);
        label = "ANOMALY";
        kind = "error_burst";
      } else {
        template = this.#nextNormal();
        if (ep?.record.kind === "rate_spike") {
          label = "ANOMALY";
          kind = "rate_spike";
        }
      }
      if (ep?.record.kind === "silent_component" && template.component === ep.record.component) continue;
      const host = this.#hosts[this.#hostIndex];
      const ctx: RenderContext = { random: this.#content, host: host.state, timeMs: this.#timeMs };
      const line = formatWindowsLine(this.#timeMs, template.level, template.component, template.render(ctx));
      const lineNo = ++this.#lineNo;
      if (ep) {
        if (ep.record.firstLine === 0) ep.record.firstLine = lineNo;
        ep.record.lastLine = lineNo;
        ep.record.end = new Date(this.#timeMs).toISOString();
        if (kind !== "none") ep.linesLeft--;
      }
      const result: SyntheticLine = {
        lineNo,
        timeMs: this.#timeMs,
        line,
        host: host.name,
        label: {
          lineNo,
          label,
          kind,
          episode: ep?.record.id ?? 0,
          component: template.component,
          templateKey: template.key,
        },
      };
      if (
        ep && (ep.record.kind === "error_burst" || ep.record.kind === "novel_failure") && ep.linesLeft <= 0
      ) {
        this.#endEpisode();
      }
      return result;
    }
  }

  /** Iterates over lines forever (use with a counter or `take`). */
  *[Symbol.iterator](): Iterator<SyntheticLine> {
    for (;;) yield this.next();
  }

  #nextNormal(): WindowsTemplate {
    if (this.#pendingIndex >= this.#pending.length) {
      const activity = ACTIVITIES[this.#activities.pick(this.#content)];
      if (this.#hosts.length > 1) this.#hostIndex = this.#hostPicker.pick(this.#hostRandom);
      this.#pending = activity.steps(this.#content);
      this.#pendingIndex = 0;
    }
    return templateByKey(this.#pending[this.#pendingIndex++]);
  }

  #startEpisode(): void {
    const an = this.#anomalies!;
    let kind: AnomalyKind;
    if (this.#schedule) {
      kind = this.#schedule.shift()!.kind;
      this.#nextEpisodeAt = this.#schedule[0]?.atLine ?? Infinity;
    } else {
      kind = an.kinds[this.#kindIndex++ % an.kinds.length];
      this.#nextEpisodeAt = Infinity; // rescheduled when this one ends
    }
    const r = this.#chaos;
    const start = new Date(this.#timeMs).toISOString();
    const record: EpisodeRecord = {
      id: this.#episodes.length + 1,
      kind,
      label: kind === "novel_failure"
        ? "CRITICAL_ANOMALY"
        : kind === "silent_component"
        ? "NORMAL"
        : "ANOMALY",
      firstLine: 0,
      lastLine: 0,
      start,
      end: start,
    };
    const active: ActiveEpisode = { record, linesLeft: 0, endMs: Infinity, factor: 1, templates: [] };
    if (kind === "error_burst") {
      const burst = Object.values(BURST_TEMPLATES);
      const first = r.int(0, burst.length - 1);
      active.templates = [burst[first], burst[(first + r.int(1, burst.length - 1)) % burst.length]];
      active.linesLeft = r.int(an.burstLines[0], an.burstLines[1]);
      active.factor = an.burstFactor;
      record.factor = an.burstFactor;
      record.templates = active.templates.map((t) => t.key);
    } else if (kind === "novel_failure") {
      const novel = Object.values(NOVEL_TEMPLATES);
      const first = r.int(0, novel.length - 1);
      active.templates = r.chance(0.5) ? [novel[first]] : [novel[first], novel[(first + 1) % novel.length]];
      active.linesLeft = r.int(an.novelLines[0], an.novelLines[1]);
      record.templates = active.templates.map((t) => t.key);
    } else if (kind === "rate_spike") {
      active.factor = Math.round(an.spikeFactor[0] + r.next() * (an.spikeFactor[1] - an.spikeFactor[0]));
      active.endMs = this.#timeMs +
        1000 * (an.spikeSeconds[0] + r.next() * (an.spikeSeconds[1] - an.spikeSeconds[0]));
      record.factor = active.factor;
    } else {
      active.endMs = this.#timeMs +
        1000 * (an.silenceSeconds[0] + r.next() * (an.silenceSeconds[1] - an.silenceSeconds[0]));
      record.component = an.silentComponent;
    }
    this.#episodes.push(record);
    this.#active = active;
  }

  #endEpisode(): void {
    this.#active = undefined;
    if (!this.#schedule && this.#anomalies) {
      this.#nextEpisodeAt = this.#lineNo + 1 + Math.round(this.#chaos.exponential(this.#anomalies.every));
    }
  }
}

/** Every template key the Windows generator can emit, by family (for documentation and tests). */
export const WINDOWS_TEMPLATE_KEYS = {
  normal: Object.keys(NORMAL_TEMPLATES),
  burst: Object.keys(BURST_TEMPLATES),
  novel: Object.keys(NOVEL_TEMPLATES),
} as const;
