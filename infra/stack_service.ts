/**
 * The contract each local-stack service (Kafka, OpenSearch, the S3 server) implements, so `stack.ts` can
 * install, start, probe and stop them uniformly.
 *
 * @module
 */
import type { ServicePaths } from "./stack_paths.ts";

/** What `deno task stack status` reports for a service. */
export type ServiceState = "healthy" | "starting" | "down";

/** One local-stack service. */
export interface StackService {
  /** Short name, also the folder under `.vigil/` and the `logs` argument, e.g. `kafka`. */
  readonly name: string;
  /** Where clients connect, printed by `up` and `status`, e.g. `127.0.0.1:9092`. */
  readonly endpoint: string;
  /** Loopback TCP ports the service binds; each must be free before it starts. */
  readonly ports: readonly number[];
  /** The service's folders and pid file. */
  readonly paths: ServicePaths;
  /** An argument present only in this service's command line (compared exactly); guards every kill. */
  readonly marker: string;
  /** How long `up` waits for health after launching, in milliseconds. */
  readonly startTimeoutMs: number;
  /** Log files worth showing for `deno task stack logs <name>` (the process log first). */
  readonly logFiles: readonly string[];
  /**
   * Installs binaries/jars on first use (idempotent).
   *
   * @param log receives progress lines
   */
  install(log: (line: string) => void): Promise<void>;
  /**
   * Writes configuration, prepares storage and launches the process detached.
   *
   * @returns the pid of the launched process
   */
  launch(log: (line: string) => void): Promise<number>;
  /** A bounded health probe: true when the service answers as ready. Never throws. */
  probe(): Promise<boolean>;
  /** Work done once the service is healthy (e.g. creating the bucket); must be idempotent. */
  afterHealthy?(log: (line: string) => void): Promise<void>;
}
