/**
 * Web side of the cross-process live path: consumes the live topic from its end (only new frames matter) with
 * a consumer group of its own (every web server sees every frame), validates each frame, and publishes it to
 * the local {@link LiveHub}. Invalid messages are counted and skipped, never passed to browsers.
 *
 * @module
 */
import type { VigilKafkaConsumer } from "../kafka/kafka_client.ts";
import { parseLiveFrame } from "./live_frame.ts";
import type { LiveHub } from "./live_hub.ts";

/** A running feed. */
export interface KafkaLiveFeed {
  /** Valid frames handed to the hub. */
  readonly received: number;
  /** Messages that were not valid frames. */
  readonly rejected: number;
  /** Stops consuming and closes the stream (not the consumer, which the caller owns). */
  close(): Promise<void>;
}

/**
 * Starts consuming `topic` into `hub`.
 *
 * @param consumer a consumer whose group id is unique to this web server (e.g. `vigil-web-<uuid>`)
 */
export async function startKafkaLiveFeed(
  { consumer, topic, hub }: { consumer: VigilKafkaConsumer; topic: string; hub: LiveHub },
): Promise<KafkaLiveFeed> {
  const stream = await consumer.consume({
    topics: [topic],
    mode: "latest",
    autocommit: false,
    maxWaitTime: 100,
  });
  const state = { received: 0, rejected: 0 };
  const done = (async () => {
    try {
      for await (const message of stream) {
        const frame = typeof message.value === "string" ? parseLiveFrame(message.value) : undefined;
        if (frame) {
          hub.publish(frame);
          state.received++;
        } else {
          state.rejected++;
        }
      }
    } catch (err) {
      if (!stream.closed) console.error("vigil web: live feed stopped", err);
    }
  })();
  return {
    get received() {
      return state.received;
    },
    get rejected() {
      return state.rejected;
    },
    close: async () => {
      await stream.close();
      await done;
    },
  };
}
