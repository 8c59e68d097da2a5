/**
 * The delivery engine (testing/delivery_engine.ts: the product wiring plus a SIGUSR2 fault-drill hook
 * that kills a classifier worker) as a chaos engine process, with the same surface as the bench suite's
 * `EngineChild` so a scenario can run on either.
 *
 * @module
 */
import { EngineProcess, type EngineStatus } from "../../testing/engine_process.ts";
import { pollUntil } from "./poll_until.ts";

/** A `STATUS` line of the delivery engine, with the classifier pool's counters. */
export interface DeliveryEngineStatus extends EngineStatus {
  /** Classifier workers replaced after dying. */
  workerReplacements: number;
  /** Classifier batches retried. */
  batchRetries: number;
}

/** A running delivery engine process. */
export class DeliveryEngineChild {
  readonly #process: EngineProcess;
  readonly exited: Promise<Deno.CommandStatus>;

  constructor(env: Record<string, string>) {
    this.#process = new EngineProcess(env);
    this.exited = this.#process.child.status;
  }

  /** Latest status (undefined before the first). */
  get status(): DeliveryEngineStatus | undefined {
    return this.#process.status as DeliveryEngineStatus | undefined;
  }

  /** The end of the process's stderr. */
  get stderr(): string {
    return this.#process.stderr;
  }

  /** Resolves once the engine consumes; rejects if it exits first or after `timeoutMs`. */
  ready(timeoutMs = 90_000): Promise<void> {
    return this.#process.ready(timeoutMs);
  }

  /** Waits until `cond(status)` holds (checked every 100 ms); false after `timeoutMs` or when it exits. */
  until(cond: (s: DeliveryEngineStatus) => boolean, timeoutMs: number): Promise<boolean> {
    return pollUntil(() => this.status !== undefined && cond(this.status), timeoutMs, 100, this.exited);
  }

  /** Sends `signal` (SIGUSR2: kill classifier worker 0). */
  signal(signal: Deno.Signal): void {
    this.#process.child.kill(signal);
  }

  /** SIGKILL: a crash. */
  kill9(): Promise<void> {
    return this.#process.kill9();
  }

  /** SIGTERM and wait for the graceful stop. */
  stop(): Promise<Deno.CommandStatus> {
    return this.#process.stop();
  }
}
