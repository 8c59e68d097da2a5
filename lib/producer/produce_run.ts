/**
 * One producer run: read lines (file, stdin, followed file or the synthetic source), turn each into a
 * {@link LogEvent} with the shared format machinery (`lib/parsing`), pace them, and publish them to Kafka —
 * or, for the synthetic source, write them to a log file with its label file (`output`).
 *
 * This is the code path of `deno task produce` and of the producer inside `deno task start`.
 *
 * Lines become events through the parser's {@link LineAssembler}: continuation lines (indented, stack traces)
 * attach to the event before them (flag `multiline`), blank lines are skipped and counted, every other line is
 * exactly one event — lines that do not match the format become events with `parseError` (never dropped;
 * repairs are flagged). So `lines = events + continuations + emptyLines`, and the summary reports each.
 * The summary counts events read, acknowledged and failed; an abort (Ctrl-C) stops reading, flushes what was read and
 * returns the summary; the first failed produce request stops the run (the rest would fail too) and is
 * reported, never swallowed.
 *
 * @module
 */
import type { EventFlag, LogEvent } from "../event/log_event.ts";
import type { VigilConfig } from "../config/vigil_config.ts";
import { createKafkaAdmin, createKafkaProducer } from "../kafka/kafka_client.ts";
import { LineAssembler } from "../parsing/line_assembler.ts";
import { resolveLogFormat } from "../parsing/log_format.ts";
import { EventPublisher } from "./event_publisher.ts";
import { followFile } from "./follow_file.ts";
import { openFileInput, openStdinInput } from "./input_source.ts";
import { type RawLine, readLines } from "./line_reader.ts";
import { type PaceMode, Pacer } from "./pacer.ts";
import { type AnomalyOptions, type SyntheticLine, SyntheticWindowsSource } from "./synthetic_windows.ts";
import { describeKafkaError } from "../kafka/describe_kafka_error.ts";
import { formatLabelRow, LABEL_CSV_HEADER } from "./synthetic_labels.ts";
import { Retimer } from "./retime.ts";

/** Names of the synthetic sources. */
export const SYNTHETIC_SOURCES = ["windows"] as const;

/** What to produce and how; validated by {@link runProducer}. */
export interface ProduceOptions {
  /** Read this file (gzip inflated transparently). Exactly one of input / stdin / synthetic. */
  input?: string;
  /** Read standard input. */
  stdin?: boolean;
  /** Generate synthetic lines (`windows`). */
  synthetic?: typeof SYNTHETIC_SOURCES[number];
  /** With `input`: keep following the file like `tail -F`. */
  follow?: boolean;
  /** Format preset or Loghub-style format string. Required for input/stdin; synthetic uses its own. */
  format?: string;
  /**
   * Events/s. File/stdin: paced at this rate (default: unpaced). Synthetic: the generator's base rate,
   * paced by event time so injected spikes are real (default 100). `Infinity` = as fast as possible.
   */
  rate?: number;
  /** Replay the events' own inter-arrival times divided by this factor (by their `ts`). */
  replaySpeed?: number;
  /**
   * File/stdin: `now` shifts event time so the input plays as if happening now, at its own pace ×
   * `replaySpeed` (default 1; implies replay pacing), keeping the original time in `fields.originalTs`.
   */
  retime?: "now";
  /** Read the input this many times (file or synthetic with maxEvents). Default 1. */
  loop?: number;
  /** Stop after this many events. Default: no limit (synthetic: endless). */
  maxEvents?: number;
  /** Kafka topic. Default config `kafka.topic`. */
  topic?: string;
  /** Partitions of a topic created by this run. Default config `kafka.partitions`. */
  partitions?: number;
  /** `host` of the events. Default config `producer.host`, else the machine's host name. */
  host?: string;
  /** Synthetic: number of hosts in the simulated fleet (events get `<host>-01`, `-02`...). Default 1. */
  hosts?: number;
  /** Synthetic: PRNG seed. Default 1. */
  seed?: number;
  /** Synthetic: event time of the first line, ms since the epoch. Default now (with `output`: 2016-09-28). */
  startMs?: number;
  /** Synthetic: anomaly injection (`false` = none). Default all kinds every ~5000 lines. */
  anomalies?: AnomalyOptions | false;
  /** Synthetic: write the ground-truth label CSV here (and `<name without .csv>.episodes.json`). */
  labelsPath?: string;
  /** Synthetic: write the log lines to this file instead of Kafka (labels beside it unless labelsPath). */
  output?: string;
  /** Stops the run cleanly (Ctrl-C). */
  signal?: AbortSignal;
  /** Called about every `progressMs` with the running totals. */
  onProgress?: (progress: ProduceProgress) => void;
  /** Default 500. */
  progressMs?: number;
}

/** Running totals of a run. */
export interface ProduceProgress {
  /** Events read and handed to the sink. */
  events: number;
  /** Events acknowledged by Kafka (or written, for `output`). */
  acked: number;
  failed: number;
  /** Input bytes consumed (decompressed). */
  bytesIn: number;
  /** Input lines read so far (blank and continuation lines included). */
  linesRead?: number;
  elapsedMs: number;
  /** Events still to go when known (maxEvents, or estimated from file size × loops), else undefined. */
  remaining?: number;
}

/** The outcome of a run. */
export interface ProduceSummary extends ProduceProgress {
  /** Where events went: the topic, or the output file. */
  destination: string;
  /** Events with `parseError` (the line did not match the format). */
  parseErrors: number;
  /** Lines read (= events + continuationLines + emptyLines). */
  lines: number;
  /** Lines attached to the event before them. */
  continuationLines: number;
  /** Blank lines skipped. */
  emptyLines: number;
  /** How many events carry each repair flag. */
  flags: Partial<Record<EventFlag, number>>;
  /** Achieved events/s (acknowledged ÷ elapsed). */
  eventsPerSecond: number;
  /** True when the run was stopped by the signal. */
  interrupted: boolean;
  /**
   * Earliest and latest event time (ISO) among the events produced with a time of their own (events stamped
   * at ingest are left out); absent when there were none.
   */
  eventTimeRange?: { from: string; to: string };
  /** The first produce error, when some events failed. */
  error?: string;
}

interface SourceLine {
  raw: RawLine;
  /** Synthetic event time; undefined for real input (taken from the parsed event). */
  eventMs?: number;
  synthetic?: SyntheticLine;
}

/** Thrown when Kafka cannot be reached or refuses the topic; the message names the brokers. */
export class KafkaUnavailableError extends Error {
  override name = "KafkaUnavailableError";
}

/**
 * Makes sure the topic events are published to exists (the producer's and the ingest service's first step).
 * @throws {KafkaUnavailableError} naming topic and brokers when Kafka cannot be reached or refuses it
 */
export async function ensureEventTopic(
  config: VigilConfig,
  topic: string,
  partitions: number,
): Promise<void> {
  const admin = createKafkaAdmin(config);
  try {
    await admin.ensureTopic(topic, partitions);
  } catch (err) {
    throw new KafkaUnavailableError(
      `Cannot ensure topic ${topic} on Kafka at ${config.kafka.brokers.join(",")}: ${
        describeKafkaError(err)
      }`,
      { cause: err },
    );
  } finally {
    await admin.close();
  }
}

/** Thrown for contradictory or invalid options (the message says which and why). */
export class ProduceOptionsError extends Error {
  override name = "ProduceOptionsError";
}

function validate(o: ProduceOptions): void {
  const sources = [o.input !== undefined, o.stdin === true, o.synthetic !== undefined].filter(Boolean).length;
  if (sources !== 1) {
    throw new ProduceOptionsError("Cannot produce: give exactly one of --input, --stdin, --synthetic");
  }
  if (o.synthetic !== undefined && !SYNTHETIC_SOURCES.includes(o.synthetic)) {
    throw new ProduceOptionsError(
      `Cannot produce: unknown synthetic source ${JSON.stringify(o.synthetic)} (known: ${
        SYNTHETIC_SOURCES.join(", ")
      })`,
    );
  }
  if (o.synthetic === undefined && !o.format) {
    throw new ProduceOptionsError("Cannot produce: --format is required with --input/--stdin");
  }
  if (o.follow && o.input === undefined) {
    throw new ProduceOptionsError("Cannot produce: --follow needs --input");
  }
  const loop = o.loop ?? 1;
  if (!Number.isInteger(loop) || loop < 1) {
    throw new ProduceOptionsError(
      `Cannot produce as --loop must be a positive integer: current value is ${loop}`,
    );
  }
  if (loop > 1 && (o.stdin || o.follow)) {
    throw new ProduceOptionsError("Cannot produce: --loop does not apply to --stdin or --follow");
  }
  if (o.maxEvents !== undefined && (!Number.isInteger(o.maxEvents) || o.maxEvents < 0)) {
    throw new ProduceOptionsError(
      `Cannot produce as --max-events must be a non-negative integer: current value is ${o.maxEvents}`,
    );
  }
  if (o.rate !== undefined && !(o.rate > 0)) {
    throw new ProduceOptionsError(`Cannot produce as --rate must be positive: current value is ${o.rate}`);
  }
  if (o.rate !== undefined && o.replaySpeed !== undefined && o.synthetic === undefined) {
    throw new ProduceOptionsError("Cannot produce: give --rate or --replay-speed, not both");
  }
  if (o.replaySpeed !== undefined && !(o.replaySpeed > 0 && Number.isFinite(o.replaySpeed))) {
    throw new ProduceOptionsError(
      `Cannot produce as --replay-speed must be a positive number: current value is ${o.replaySpeed}`,
    );
  }
  if (o.retime !== undefined) {
    if (o.retime !== "now") {
      throw new ProduceOptionsError(
        `Cannot produce as --retime takes only 'now': current value is ${JSON.stringify(o.retime)}`,
      );
    }
    if (o.synthetic !== undefined) {
      throw new ProduceOptionsError(
        "Cannot produce: --retime applies to --input/--stdin (synthetic time is now)",
      );
    }
    if (o.rate !== undefined) {
      throw new ProduceOptionsError(
        "Cannot produce: --retime replays the input at its own pace (× --replay-speed), not with --rate",
      );
    }
  }
  if ((o.output !== undefined || o.labelsPath !== undefined) && o.synthetic === undefined) {
    throw new ProduceOptionsError("Cannot produce: --output and --labels apply to --synthetic only");
  }
  if (o.output !== undefined && o.maxEvents === undefined) {
    throw new ProduceOptionsError(
      "Cannot produce: --output needs --max-events (the synthetic source is endless)",
    );
  }
}

/** Buffers text writes to a file. */
class TextFileWriter {
  #parts: string[] = [];
  #size = 0;
  readonly #file: Deno.FsFile;
  readonly #enc = new TextEncoder();
  constructor(file: Deno.FsFile) {
    this.#file = file;
  }
  static async create(path: string): Promise<TextFileWriter> {
    return new TextFileWriter(await Deno.open(path, { write: true, create: true, truncate: true }));
  }
  async write(text: string): Promise<void> {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const bytes = this.#enc.encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    let off = 0;
    while (off < bytes.length) off += await this.#file.write(bytes.subarray(off));
  }
  async close(): Promise<void> {
    await this.flush();
    this.#file.close();
  }
}

/**
 * Awaits the next line, or the abort, or (when idleMs is set) that many ms of silence. The abort listener is
 * removed afterwards, so a long run does not pile up reactions on one never-settled promise.
 */
async function nextOrInterrupt<T>(
  next: Promise<T>,
  signal: AbortSignal | undefined,
  idleMs: number | undefined,
): Promise<T | "aborted" | "idle"> {
  if (signal?.aborted) return "aborted";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const racers: Promise<T | "aborted" | "idle">[] = [next];
  if (signal) {
    racers.push(
      new Promise<"aborted">((r) => signal.addEventListener("abort", onAbort = () => r("aborted"))),
    );
  }
  if (idleMs !== undefined) {
    racers.push(new Promise<"idle">((r) => timer = setTimeout(() => r("idle"), idleMs)));
  }
  try {
    return await Promise.race(racers);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal!.removeEventListener("abort", onAbort);
  }
}

/**
 * Runs the producer until the input ends, `maxEvents` is reached, a produce request fails, or the signal aborts.
 *
 * @param config vigil's configuration (Kafka brokers, topic defaults, batching, line limit, host)
 * @param options what to produce
 * @returns the summary (also on abort)
 * @throws {ProduceOptionsError} for invalid options; {@link InputError} when the input cannot be opened;
 *   the Kafka client's error when the topic cannot be ensured (Kafka unreachable)
 */
export async function runProducer(config: VigilConfig, options: ProduceOptions): Promise<ProduceSummary> {
  validate(options);
  const signal = options.signal;
  const loops = options.loop ?? 1;
  const maxEvents = options.maxEvents ?? Infinity;
  const host = options.host ?? config.producer.host ?? Deno.hostname();
  const maxLineBytes = config.producer.maxLineBytes;
  const synthetic = options.synthetic;
  const format = resolveLogFormat(synthetic ? synthetic : options.format!);
  const source = synthetic ? `synthetic:${synthetic}` : options.stdin ? "stdin" : options.input!;
  const topic = options.topic ?? config.kafka.topic;

  let pace: PaceMode = { kind: "none" };
  if (options.output !== undefined) {
    // Writing a file: no pacing.
  } else if (synthetic) {
    const speed = options.replaySpeed ?? 1;
    if (options.rate !== Infinity) pace = { kind: "replay", speed };
  } else if (options.replaySpeed !== undefined || options.retime !== undefined) {
    pace = { kind: "replay", speed: options.replaySpeed ?? 1 };
  } else if (options.rate !== undefined && options.rate !== Infinity) {
    pace = { kind: "rate", rate: options.rate };
  }
  const pacer = new Pacer(pace, signal);
  const retimer = options.retime === "now" ? new Retimer(options.replaySpeed ?? 1) : undefined;

  // A missing or unreadable input fails before Kafka is touched (no topic created for nothing).
  if (options.input !== undefined && !options.follow) {
    await (await openFileInput(options.input)).stream.cancel();
  }

  // Sink: Kafka, or a log file for synthetic output.
  let publisher: EventPublisher | undefined;
  let closeProducer = async () => {};
  let output: TextFileWriter | undefined;
  if (options.output !== undefined) {
    output = await TextFileWriter.create(options.output);
  } else {
    await ensureEventTopic(config, topic, options.partitions ?? config.kafka.partitions);
    const producer = createKafkaProducer(config);
    closeProducer = () => producer.close();
    publisher = new EventPublisher(producer, {
      topic,
      keyFields: config.kafka.keyFields,
      batchSize: config.kafka.producerBatchSize,
      lingerMs: config.kafka.producerLingerMs,
      maxInFlight: config.kafka.producerMaxInFlight,
    });
  }
  const labelsPath = options.labelsPath ??
    (options.output !== undefined ? `${options.output}.labels.csv` : undefined);
  const labels = labelsPath ? await TextFileWriter.create(labelsPath) : undefined;
  await labels?.write(LABEL_CSV_HEADER + "\n");

  const started = performance.now();
  let events = 0;
  let written = 0;
  let bytesIn = 0;
  let linesRead = 0;
  let minEventMs = Infinity;
  let maxEventMs = -Infinity;
  let parseErrors = 0;
  const flags: Partial<Record<EventFlag, number>> = {};
  let totalBytes: number | undefined;
  const progress = (): ProduceProgress => {
    const acked = publisher ? publisher.stats.acked : written;
    let remaining: number | undefined;
    if (Number.isFinite(maxEvents)) remaining = maxEvents - events;
    else if (totalBytes !== undefined && bytesIn > 0) {
      remaining = Math.max(0, Math.round(((totalBytes - bytesIn) * events) / bytesIn));
    }
    return {
      events,
      acked,
      failed: publisher?.stats.failed ?? 0,
      bytesIn,
      linesRead,
      elapsedMs: performance.now() - started,
      remaining,
    };
  };
  const timer = options.onProgress
    ? setInterval(() => options.onProgress!(progress()), options.progressMs ?? 500)
    : undefined;

  let syntheticSource: SyntheticWindowsSource | undefined;
  const lines = async function* (_loop: number): AsyncGenerator<SourceLine> {
    if (synthetic) {
      syntheticSource ??= new SyntheticWindowsSource({
        seed: options.seed,
        rate: options.rate === undefined || options.rate === Infinity
          ? (options.rate === Infinity ? 1000 : 100)
          : options.rate,
        // Live: event time is now. A file: the generator's fixed default start, so output is reproducible.
        startMs: options.startMs ?? (options.output === undefined ? Date.now() : undefined),
        anomalies: options.anomalies,
        hosts: options.hosts,
        hostPrefix: host,
      });
      for (;;) {
        const s = syntheticSource.next();
        yield {
          raw: { lineNo: s.lineNo, text: s.line, flags: [], bytes: s.line.length + 1 },
          eventMs: s.timeMs,
          synthetic: s,
        };
      }
    }
    let stream: ReadableStream<Uint8Array>;
    if (options.stdin) {
      stream = (await openStdinInput()).stream;
    } else if (options.follow) {
      stream = followFile(options.input!, { signal });
    } else {
      const opened = await openFileInput(options.input!);
      if (!opened.gzip && opened.size !== undefined) totalBytes = opened.size * loops;
      stream = opened.stream;
    }
    for await (const raw of readLines(stream, { maxLineBytes })) yield { raw };
  };

  let lineCount = 0;
  let continuationLines = 0;
  let emptyLines = 0;
  const stop = () =>
    signal?.aborted || events >= maxEvents || (publisher !== undefined && publisher.stats.failed > 0);
  const emit = async (event: LogEvent, eventTimes: Map<number, number>, eventHosts?: Map<number, string>) => {
    const syntheticHost = eventHosts?.get(event.lineNo);
    if (syntheticHost !== undefined) {
      event.host = syntheticHost;
      eventHosts!.delete(event.lineNo);
    }
    if (event.parseError !== undefined) parseErrors++;
    for (const f of event.flags) flags[f] = (flags[f] ?? 0) + 1;
    let eventMs = eventTimes.get(event.lineNo);
    eventTimes.delete(event.lineNo);
    eventMs ??= event.flags.includes("ts_from_ingest") ? NaN : Date.parse(event.ts);
    await pacer.wait(eventMs);
    if (retimer) eventMs = retimer.retime(event, eventMs);
    events++;
    if (Number.isFinite(eventMs)) {
      if (eventMs < minEventMs) minEventMs = eventMs;
      if (eventMs > maxEventMs) maxEventMs = eventMs;
    }
    if (publisher) {
      await publisher.publish(event);
    } else {
      await output!.write(event.raw + "\n");
      written++;
    }
  };

  try {
    for (let loop = 0; loop < loops && !stop(); loop++) {
      if (loop > 0) {
        pacer.rebase();
        retimer?.rebase();
      }
      const assembler = new LineAssembler(format, {
        source,
        host,
        system: format.name,
        loop,
        maxLineChars: maxLineBytes,
      });
      const eventTimes = new Map<number, number>();
      const eventHosts = new Map<number, string>();
      const handle = async (line: SourceLine): Promise<void> => {
        bytesIn += line.raw.bytes;
        linesRead++;
        if (line.eventMs !== undefined) eventTimes.set(line.raw.lineNo, line.eventMs);
        if (line.synthetic) eventHosts.set(line.raw.lineNo, line.synthetic.host);
        if (labels && line.synthetic) await labels.write(formatLabelRow(line.synthetic.label) + "\n");
        for (const e of assembler.push(line.raw)) await emit(e, eventTimes, eventHosts);
      };
      const iterator = lines(loop)[Symbol.asyncIterator]();
      let nextLine: Promise<IteratorResult<SourceLine>> | undefined;
      try {
        for (;;) {
          if (stop() || events + (assembler.hasPending ? 1 : 0) >= maxEvents) break;
          nextLine ??= iterator.next();
          // A followed file may go quiet with an event held back for continuations: emit it after 500 ms.
          // Ctrl-C must not wait for the next line of a quiet stdin or followed file either.
          const idleMs = options.follow && assembler.hasPending ? 500 : undefined;
          // Files and the synthetic source answer at once; only stdin and followed files may block.
          const next = options.stdin || options.follow
            ? await nextOrInterrupt(nextLine, signal, idleMs)
            : await nextLine;
          if (next === "aborted") break;
          if (next === "idle") {
            for (const e of assembler.flush()) await emit(e, eventTimes, eventHosts);
            continue; // nextLine stays pending and is awaited next time round
          }
          nextLine = undefined;
          if (next.done) break;
          await handle(next.value);
        }
      } finally {
        // Ending the generator closes the input; a read still pending is abandoned with it.
        void iterator.return?.(undefined);
      }
      for (const e of assembler.flush()) await emit(e, eventTimes, eventHosts);
      lineCount += assembler.stats.lines;
      continuationLines += assembler.stats.continuations;
      emptyLines += assembler.stats.empty;
    }
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await publisher?.flush();
    await closeProducer();
    await output?.close();
    await labels?.close();
    if (labelsPath && syntheticSource) {
      const episodesPath = labelsPath.replace(/\.labels\.csv$|\.csv$/, "") + ".episodes.json";
      await Deno.writeTextFile(episodesPath, JSON.stringify(syntheticSource.episodes(), null, 2) + "\n");
    }
  }
  const final = progress();
  const summary: ProduceSummary = {
    ...final,
    remaining: undefined,
    destination: options.output ?? `kafka:${topic}`,
    parseErrors,
    lines: lineCount,
    continuationLines,
    emptyLines,
    flags,
    eventsPerSecond: final.acked / Math.max(final.elapsedMs / 1000, 1e-9),
    interrupted: signal?.aborted ?? false,
  };
  if (minEventMs <= maxEventMs) {
    summary.eventTimeRange = {
      from: new Date(minEventMs).toISOString(),
      to: new Date(maxEventMs).toISOString(),
    };
  }
  // The last totals, also for a run shorter than one progress interval.
  options.onProgress?.(final);
  if (publisher?.stats.firstError) summary.error = publisher.stats.firstError.message;
  return summary;
}
