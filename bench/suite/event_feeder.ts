/**
 * Feeds the bench and chaos runs with vigil events: synthetic Windows lines turned into LogEvents exactly as
 * the producer does (`lineToEvent`), with ids chosen by the caller (so losses and duplicates can be counted by
 * id), published with vigil's Kafka client either as fast as possible or at a fixed offered rate.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import {
  createKafkaAdmin,
  createKafkaProducer,
  ensureEventTopics,
  type VigilKafkaProducer,
} from "../../lib/kafka/kafka_client.ts";
import { lineToEvent } from "../../lib/parsing/line_to_event.ts";
import { resolveLogFormat } from "../../lib/parsing/log_format.ts";
import { SyntheticWindowsSource } from "../../lib/producer/synthetic_windows.ts";

/** Builds LogEvents from synthetic Windows lines; ids are `<idPrefix><n>` for n in [from, from + count). */
export class EventMaker {
  #source: SyntheticWindowsSource;
  #format = resolveLogFormat("windows");
  readonly idPrefix: string;

  constructor(idPrefix: string) {
    this.idPrefix = idPrefix;
    this.#source = new SyntheticWindowsSource({ seed: 7, anomalies: false });
  }

  /** The next event, numbered `n`, ingested at `ingestMs`. */
  make(n: number, ingestMs = Date.now()): LogEvent {
    const s = this.#source.next();
    const e = lineToEvent({ text: s.line, lineNo: n + 1 }, this.#format, {
      source: "bench:windows",
      host: "bench-host",
    }, ingestMs);
    e.id = `${this.idPrefix}${n}`;
    return e;
  }
}

/** Creates `topic` (and its DLQ) with `partitions` partitions. */
export async function createTopic(config: VigilConfig, topic: string, partitions: number): Promise<void> {
  await ensureEventTopics(config, { topic, partitions, dlqPartitions: 1 });
}

/** Deletes topics (best effort). */
export async function deleteTopics(config: VigilConfig, topics: string[]): Promise<void> {
  const admin = createKafkaAdmin(config);
  try {
    await admin.deleteTopics(topics.flatMap((t) => [t, `${t}.dlq`])).catch(() => {});
  } finally {
    await admin.close().catch(() => {});
  }
}

/** Publishes vigil events to one topic, keyed by event id (so every partition gets its share). */
export class EventFeeder {
  #producer: VigilKafkaProducer;
  readonly topic: string;
  /** Events acknowledged by Kafka so far. */
  acked = 0;

  constructor(config: VigilConfig, topic: string) {
    this.#producer = createKafkaProducer(config);
    this.topic = topic;
  }

  /** Sends `events` as fast as possible (batches of 2000, 4 in flight); returns events/s. */
  async sendAll(events: readonly LogEvent[]): Promise<number> {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < events.length) {
        const batch = events.slice(next, next + 2000);
        next += batch.length;
        await this.#send(batch);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return events.length / ((performance.now() - started) / 1000);
  }

  /**
   * Offers `rate` events/s for `seconds` (events made at send time, so `ingestTs` is the produce time), in
   * ticks of 50 ms; sends overlap when Kafka is slower than a tick. Returns how many were offered; each event's
   * produce time (its `ingestTs`, ms) is appended to `ingestLog` in produce order.
   */
  async sendPaced(
    maker: EventMaker,
    from: number,
    rate: number,
    seconds: number,
    stop?: () => boolean,
    ingestLog?: number[],
  ): Promise<number> {
    const started = performance.now();
    const end = started + seconds * 1000;
    let sent = 0;
    const pending = new Set<Promise<void>>();
    while (performance.now() < end && !stop?.()) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      if (due > sent) {
        const now = Date.now();
        const batch: LogEvent[] = [];
        for (; sent < due; sent++) batch.push(maker.make(from + sent, now));
        ingestLog?.push(...batch.map(() => now));
        const p = this.#send(batch).finally(() => pending.delete(p));
        pending.add(p);
        // Bound what is in flight so an overloaded broker slows the offer instead of queueing in memory.
        while (pending.size >= 16) await Promise.race(pending);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(pending);
    return sent;
  }

  async #send(batch: readonly LogEvent[]): Promise<void> {
    // One send becomes one record batch per partition, which the broker refuses above its max message size
    // (1 MiB): a late tick can owe many events, so split them.
    for (let i = 0; i < batch.length; i += 1000) {
      const part = batch.slice(i, i + 1000);
      await this.#producer.send({
        messages: part.map((e) => ({ topic: this.topic, key: e.id, value: JSON.stringify(e) })),
      });
      this.acked += part.length;
    }
  }

  /** Closes the producer. */
  async close(): Promise<void> {
    await this.#producer.close().catch(() => {});
  }
}
