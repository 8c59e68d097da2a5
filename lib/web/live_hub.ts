/**
 * The in-process fan-out of live frames to SSE clients: each frame gets an id, the last `replay` frames are kept
 * for `Last-Event-ID` reconnects, and each subscriber reads from its own {@link BoundedFrameQueue}.
 *
 * @module
 */
import { BoundedFrameQueue } from "./bounded_frame_queue.ts";
import type { IdentifiedFrame, LiveFrame } from "./live_frame.ts";
import type { LiveEventSource, LiveSubscription } from "./web_deps.ts";

/** Options of {@link LiveHub}. */
export interface LiveHubOptions {
  /** Frames kept for reconnect replay. Default 600. */
  replay?: number;
  /** Default per-subscriber queue capacity. Default 256. */
  clientCapacity?: number;
}

/** Counters describing the hub. */
export interface LiveHubStats {
  subscribers: number;
  published: number;
  /** Frames dropped across all subscribers since start. */
  dropped: number;
}

/** Fans out frames to subscribers with bounded per-subscriber queues. */
export class LiveHub implements LiveEventSource {
  /** Distinguishes this process's ids from another's, so a reconnect to a restarted server does not replay. */
  readonly #epoch = Date.now().toString(36);
  readonly #replay: IdentifiedFrame[] = [];
  readonly #replayCapacity: number;
  readonly #clientCapacity: number;
  readonly #subscribers = new Set<BoundedFrameQueue<IdentifiedFrame>>();
  #seq = 0;
  #droppedClosed = 0;

  /** @throws {RangeError} for a non-positive capacity */
  constructor({ replay = 600, clientCapacity = 256 }: LiveHubOptions = {}) {
    if (!Number.isInteger(replay) || replay < 0) {
      throw new RangeError(
        `Cannot create a live hub as replay must be a non-negative integer: current value is ${replay}`,
      );
    }
    if (!Number.isInteger(clientCapacity) || clientCapacity < 1) {
      throw new RangeError(
        `Cannot create a live hub as clientCapacity must be a positive integer: current value is ${clientCapacity}`,
      );
    }
    this.#replayCapacity = replay;
    this.#clientCapacity = clientCapacity;
  }

  /** Publishes a frame to every subscriber; returns it with its id. */
  publish(frame: LiveFrame): IdentifiedFrame {
    const identified = { ...frame, id: `${this.#epoch}-${++this.#seq}` } as IdentifiedFrame;
    if (this.#replayCapacity > 0) {
      this.#replay.push(identified);
      if (this.#replay.length > this.#replayCapacity) this.#replay.shift();
    }
    for (const q of this.#subscribers) q.push(identified);
    return identified;
  }

  subscribe(
    { lastEventId, capacity = this.#clientCapacity }: { lastEventId?: string; capacity?: number } = {},
  ): LiveSubscription {
    const queue = new BoundedFrameQueue<IdentifiedFrame>(capacity);
    for (const frame of this.#framesAfter(lastEventId)) queue.push(frame);
    this.#subscribers.add(queue);
    const subscribers = this.#subscribers;
    const onClose = () => {
      if (subscribers.delete(queue)) this.#droppedClosed += queue.dropped;
      queue.close();
    };
    return {
      next: (signal?: AbortSignal) => queue.next(signal),
      get dropped() {
        return queue.dropped;
      },
      close: onClose,
    };
  }

  stats(): LiveHubStats {
    let dropped = this.#droppedClosed;
    for (const q of this.#subscribers) dropped += q.dropped;
    return { subscribers: this.#subscribers.size, published: this.#seq, dropped };
  }

  #framesAfter(lastEventId: string | undefined): IdentifiedFrame[] {
    if (!lastEventId) return [];
    const [epoch, seqText] = lastEventId.split("-");
    const seq = Number(seqText);
    if (epoch !== this.#epoch || !Number.isInteger(seq)) return [];
    return this.#replay.filter((f) => Number(f.id.slice(epoch.length + 1)) > seq);
  }
}
