/**
 * Runs a {@link KafkaSource} the way the engine's pipeline does — its `run(out, signal)` feeding a sender — for
 * tests that play the rest of the pipeline themselves (collect the events, acknowledge them as the sinks would).
 *
 * @module
 */
import type { Sender } from "../engine/actor_ref.ts";
import type { Sourced } from "../actors/delivery_record.ts";
import type { KafkaSource } from "../actors/kafka_source.ts";
import type { LogEvent } from "../lib/event/log_event.ts";

/** A running source; see {@link runKafkaSource}. */
export interface RunningSource {
  /**
   * Stops as the pipeline does: aborts `run` (consumption stops), then waits up to `drainMs` for the events in
   * flight to be acknowledged, commits and leaves the group. Idempotent.
   */
  stop(drainMs?: number): Promise<void>;
}

/**
 * Starts `source.run` into a sender that hands every valid event to `onEvent` at once (a mailbox that is never
 * full: the source's own `maxInFlight` is what holds it back).
 *
 * @example
 * ```ts ignore
 * const got: Sourced<LogEvent>[] = [];
 * const running = runKafkaSource(new KafkaSource({ config, deadLetters }), (m) => got.push(m));
 * await until(() => got.length === 100, { what: "100 events" });
 * await running.stop(100);
 * ```
 */
export function runKafkaSource(
  source: KafkaSource,
  onEvent: (message: Sourced<LogEvent>) => void,
): RunningSource {
  const abort = new AbortController();
  const out: Sender<Sourced<LogEvent>> = {
    send: (m) => Promise.resolve(onEvent(m)),
    trySend: (m) => {
      onEvent(m);
      return true;
    },
  };
  const running = source.run(out, abort.signal);
  let stopped: Promise<void> | undefined;
  return {
    stop: (drainMs = 0) =>
      stopped ??= (async () => {
        abort.abort();
        await running;
        await source.stop(drainMs);
      })(),
  };
}
