/**
 * A throwaway single-node KRaft broker for the chaos harness, the secured-stack test and the ingest back-pressure
 * test: the stack's own service definition (`infra/kafka_service.ts`) and installed jars, on free loopback ports,
 * with its own temporary home (data, logs, config, pid file) — so it can be stopped, frozen and restarted without
 * disturbing the shared broker that other sessions use. {@link ThrowawayKafka.destroy} stops it and deletes its home.
 *
 * @module
 */
import { type KafkaSaslSsl, kafkaService } from "../infra/kafka_service.ts";
import { isOurProcess, runningPid, stopProcess } from "../infra/managed_process.ts";
import { servicePaths } from "../infra/stack_paths.ts";
import type { StackService } from "../infra/stack_service.ts";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A free loopback TCP port (bound and released at once). */
function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A broker of its own (see module doc). */
export class ThrowawayKafka {
  readonly service: StackService;
  readonly home: string;
  readonly #log: (line: string) => void;

  private constructor(service: StackService, home: string, log: (line: string) => void) {
    this.service = service;
    this.home = home;
    this.#log = log;
  }

  /** Where clients connect (`127.0.0.1:<port>`). */
  get endpoint(): string {
    return this.service.endpoint;
  }

  /**
   * Creates the broker's home (jars from the stack's `.vigil/kafka/lib`), formats it and starts it.
   *
   * @param log receives progress lines
   * @param options `saslSsl`: also a SASL_SSL listener (see {@link KafkaSaslSsl}); `home`: an existing empty
   *   folder to use (e.g. one holding the keystore), deleted by {@link destroy} like a created one
   */
  static async start(
    log: (line: string) => void = () => {},
    { saslSsl, home: givenHome }: { saslSsl?: KafkaSaslSsl; home?: string } = {},
  ): Promise<ThrowawayKafka> {
    const home = givenHome ?? await Deno.makeTempDir({ prefix: "vigil-chaos-kafka-" });
    const service = kafkaService({
      saslSsl,
      ports: { client: freePort(), controller: freePort() },
      paths: {
        home,
        lib: servicePaths("kafka").lib,
        data: `${home}/data`,
        logs: `${home}/logs`,
        config: `${home}/config`,
        pidFile: `${home}/pid`,
        processLog: `${home}/logs/process.log`,
      },
    });
    const broker = new ThrowawayKafka(service, home, log);
    try {
      await service.install(log);
      await broker.launch();
    } catch (err) {
      await broker.destroy();
      throw err;
    }
    return broker;
  }

  /** Launches the broker process (storage formatted on first launch) and waits until it serves clients. */
  async launch(): Promise<void> {
    const pid = await this.service.launch(this.#log);
    const deadline = Date.now() + this.service.startTimeoutMs;
    while (!await this.service.probe()) {
      if (Date.now() > deadline || !await isOurProcess(pid, this.service.marker)) {
        const tail = await Deno.readTextFile(this.service.paths.processLog).catch(() => "");
        throw new Error(
          `throwaway Kafka broker at ${this.endpoint} did not start; log:\n${tail.slice(-2000)}`,
        );
      }
      await sleep(500);
    }
  }

  /** SIGTERM (controlled shutdown) or SIGKILL (a crash); resolves once the process is gone. */
  async stop(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
    const { pidFile } = this.service.paths;
    const marker = this.service.marker;
    if (signal === "SIGTERM") {
      await stopProcess(pidFile, marker, 30_000);
      return;
    }
    const pid = await runningPid(pidFile, marker);
    if (pid === undefined) return;
    Deno.kill(pid, "SIGKILL");
    while (await isOurProcess(pid, marker)) await sleep(50);
  }

  /**
   * Freezes the broker process (SIGSTOP): connections stay open and requests go unanswered — a broker that cannot
   * keep up at all, not one that is gone. {@link resume} lets it carry on.
   *
   * @throws {Error} when the broker is not running
   */
  async pause(): Promise<void> {
    Deno.kill(await this.#pid(), "SIGSTOP");
  }

  /** Lets a paused broker carry on (SIGCONT). */
  async resume(): Promise<void> {
    Deno.kill(await this.#pid(), "SIGCONT");
  }

  async #pid(): Promise<number> {
    const pid = await runningPid(this.service.paths.pidFile, this.service.marker);
    if (pid === undefined) throw new Error(`throwaway Kafka broker at ${this.endpoint} is not running`);
    return pid;
  }

  /** Stops the broker (SIGKILL: its data is thrown away anyway) and deletes its home. */
  async destroy(): Promise<void> {
    await this.stop("SIGKILL").catch(() => {});
    await Deno.remove(this.home, { recursive: true }).catch(() => {});
  }
}
