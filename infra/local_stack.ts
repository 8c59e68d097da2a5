/**
 * The local stack as a library: install, start, probe and stop Kafka, OpenSearch and the S3 server.
 * `infra/stack.ts` (the `deno task stack` CLI) and `infra/test_runner.ts` (`deno task test`) call these.
 *
 * @module
 */
import { loadConfig } from "../lib/config/vigil_config.ts";
import { findJava } from "./java_tools.ts";
import { ensureTopic } from "./kafka_admin.ts";
import { kafkaService } from "./kafka_service.ts";
import { isOurProcess, runningPid, stopProcess } from "./managed_process.ts";
import { openSearchService } from "./opensearch_service.ts";
import { describeListener, isPortOpen } from "./port_probe.ts";
import { s3Service } from "./s3_service.ts";
import { StackError } from "./stack_error.ts";
import { withStackLock } from "./stack_lock.ts";
import type { ServiceState, StackService } from "./stack_service.ts";

/** Every service of the local stack, in start order. */
export function stackServices(): StackService[] {
  return [kafkaService(), openSearchService(), s3Service()];
}

/** The state of one service. */
export interface ServiceStatus {
  /** Service name. */
  name: string;
  /** healthy: ours and answering; starting: ours, alive, not answering yet; down: not running (by us). */
  state: ServiceState;
  /** Pid of our process when it is alive. */
  pid?: number;
  /** Where clients connect. */
  endpoint: string;
}

/** Receives progress lines. */
export type StackLog = (line: string) => void;

/**
 * Picks services by name.
 *
 * @throws {StackError} naming the unknown service and the known ones
 */
export function selectServices(names: readonly string[] = []): StackService[] {
  const all = stackServices();
  if (names.length === 0) return all;
  return names.map((n) => {
    const s = all.find((x) => x.name === n);
    if (!s) {
      throw new StackError(`Unknown service ${n}: expected one of ${all.map((x) => x.name).join(", ")}`);
    }
    return s;
  });
}

/** Reports the state of one service (bounded by the service's probe timeout). */
export async function serviceStatus(service: StackService): Promise<ServiceStatus> {
  const pid = await runningPid(service.paths.pidFile, service.marker);
  const base = { name: service.name, endpoint: service.endpoint };
  if (pid === undefined) return { ...base, state: "down" };
  return { ...base, pid, state: await service.probe() ? "healthy" : "starting" };
}

/** Reports the state of every (or the named) service. */
export async function stackStatus(names: readonly string[] = []): Promise<ServiceStatus[]> {
  return await Promise.all(selectServices(names).map(serviceStatus));
}

async function tail(path: string, lines: number): Promise<string> {
  try {
    return (await Deno.readTextFile(path)).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitHealthy(service: StackService, pid: number): Promise<void> {
  const deadline = Date.now() + service.startTimeoutMs;
  while (Date.now() < deadline) {
    if (await service.probe()) return;
    if (!await isOurProcess(pid, service.marker)) {
      throw new StackError(
        `${service.name} exited during start-up. Last lines of ${service.paths.processLog}:\n` +
          await tail(service.paths.processLog, 25),
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcess(service.paths.pidFile, service.marker, 5_000);
  throw new StackError(
    `${service.name} did not become healthy within ${service.startTimeoutMs / 1000} s and was stopped. ` +
      `Last lines of ${service.paths.processLog}:\n${await tail(service.paths.processLog, 25)}`,
  );
}

async function assertPortsFree(service: StackService): Promise<void> {
  for (const port of service.ports) {
    if (await isPortOpen("127.0.0.1", port, 500)) {
      const who = await describeListener(port);
      throw new StackError(
        `Port ${port}, needed by ${service.name}, is already in use by another program` +
          `${
            who ? ` (${who})` : ""
          } that 'deno task stack' did not start. Stop that program, or point vigil ` +
          `at it through the VIGIL_* settings instead of starting the local stack.`,
      );
    }
  }
}

/** What {@link stackUp} did. */
export interface StackUpResult {
  /** Names of the services this call launched (already-running ones are not listed). */
  started: string[];
  /** Seconds each launched service took from launch to healthy. */
  startSeconds: Record<string, number>;
}

/**
 * Installs (first use) and starts every (or the named) service that is not already running, waits for
 * each to be healthy (bounded per service), then runs the post-start steps (bucket, replicas, topics).
 * Calling it while the stack runs changes nothing. Holds the stack lock, so concurrent callers wait for
 * each other instead of launching a service twice.
 *
 * @throws {StackError} when Java/Maven/Go is missing, a port is taken by another program, an install fails,
 *   or a service does not become healthy in time (that service is stopped; others keep running)
 */
export async function stackUp(
  names: readonly string[] = [],
  log: StackLog = console.log,
): Promise<StackUpResult> {
  return await withStackLock(() => stackUpUnlocked(names, log));
}

/**
 * {@link stackUp} without taking the stack lock: only for callers that already hold it.
 *
 * @param onLaunched called with a service's name right after it is launched (before it is healthy)
 */
export async function stackUpUnlocked(
  names: readonly string[],
  log: StackLog,
  onLaunched: (name: string) => Promise<void> | void = () => {},
): Promise<StackUpResult> {
  const services = selectServices(names);
  await findJava();
  const toStart: StackService[] = [];
  for (const service of services) {
    const pid = await runningPid(service.paths.pidFile, service.marker);
    if (pid !== undefined) continue;
    await assertPortsFree(service);
    toStart.push(service);
  }
  for (const service of toStart) await service.install(log);
  const startSeconds: Record<string, number> = {};
  const launched: { service: StackService; pid: number; at: number }[] = [];
  for (const service of toStart) {
    log(`starting ${service.name}`);
    launched.push({ service, pid: await service.launch(log), at: performance.now() });
    await onLaunched(service.name);
  }
  const waits = await Promise.allSettled(
    services.map(async (service) => {
      const mine = launched.find((l) => l.service === service);
      const pid = mine?.pid ?? await runningPid(service.paths.pidFile, service.marker);
      if (pid === undefined) throw new StackError(`${service.name} stopped while the stack was starting`);
      await waitHealthy(service, pid);
      if (mine) startSeconds[service.name] = Math.round((performance.now() - mine.at) / 100) / 10;
      await service.afterHealthy?.(log);
    }),
  );
  const failures = waits.flatMap((w) => w.status === "rejected" ? [w.reason as Error] : []);
  if (failures.length > 0) {
    throw new StackError(failures.map((f) => f.message).join("\n\n"), { cause: failures[0] });
  }
  if (services.some((s) => s.name === "kafka")) await ensureDefaultTopics(log);
  return { started: launched.map((l) => l.service.name), startSeconds };
}

/** Creates the configured event topic and its dead-letter topic on the local broker. */
async function ensureDefaultTopics(log: StackLog): Promise<void> {
  const { kafka } = await loadConfig();
  const brokers = [kafkaService().endpoint];
  for (const topic of [kafka.topic, `${kafka.topic}.dlq`]) {
    const res = await ensureTopic(brokers, topic, kafka.partitions);
    if (res.created) log(`created topic ${topic} (${res.partitions} partitions)`);
  }
}

/**
 * Stops every (or the named) service this stack started, in reverse start order. Processes not recorded
 * in our pid files, or whose pid now belongs to another program, are never touched. Holds the stack lock.
 *
 * @returns names of the services that were stopped
 */
export async function stackDown(
  names: readonly string[] = [],
  log: StackLog = console.log,
): Promise<string[]> {
  return await withStackLock(() => stackDownUnlocked(names, log));
}

/** {@link stackDown} without taking the stack lock: only for callers that already hold it. */
export async function stackDownUnlocked(names: readonly string[], log: StackLog): Promise<string[]> {
  const stopped: string[] = [];
  for (const service of selectServices(names).reverse()) {
    if (await stopProcess(service.paths.pidFile, service.marker)) {
      log(`stopped ${service.name}`);
      stopped.push(service.name);
    }
  }
  return stopped;
}
