/**
 * A throwaway secured OpenSearch node for the TLS tests: the stack's jars plus the real security plugin
 * (infra/opensearch_security.ts), HTTPS and basic auth, 512 MiB of heap, free loopback ports and a temporary
 * home — never the shared node. {@link ThrowawayOpenSearch.destroy} stops it and deletes its home.
 *
 * @module
 */
import { openSearchService } from "../infra/opensearch_service.ts";
import type { OpenSearchSecurity } from "../infra/opensearch_security.ts";
import { isOurProcess, stopProcess } from "../infra/managed_process.ts";
import { servicePaths } from "../infra/stack_paths.ts";
import type { StackService } from "../infra/stack_service.ts";
import { until } from "./until.ts";

/** A free loopback port in `[from, to]` (the runner takes HTTP ports up to 9299 only). */
function freePortIn(from: number, to: number): number {
  for (let port = from; port <= to; port++) {
    try {
      Deno.listen({ hostname: "127.0.0.1", port }).close();
      return port;
    } catch { /* taken */ }
  }
  throw new Error(`No free port in ${from}-${to}`);
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A secured node of its own (see module doc). */
export class ThrowawayOpenSearch {
  readonly service: StackService;
  readonly home: string;

  private constructor(service: StackService, home: string) {
    this.service = service;
    this.home = home;
  }

  /** `https://127.0.0.1:<port>`. */
  get url(): string {
    return this.service.endpoint;
  }

  /**
   * Installs what is missing (the security plugin on first use), starts the node in `home` and waits until it
   * answers its first user over TLS (green or yellow), at most `deadlineMs`.
   */
  static async start(
    home: string,
    security: OpenSearchSecurity,
    { deadlineMs = 240_000, log = () => {} }: { deadlineMs?: number; log?: (line: string) => void } = {},
  ): Promise<ThrowawayOpenSearch> {
    const service = openSearchService({
      ports: { http: freePortIn(9250, 9299), transport: freePort() },
      heap: "512m",
      security,
      paths: {
        home,
        lib: servicePaths("opensearch").lib,
        data: `${home}/data`,
        logs: `${home}/logs`,
        config: `${home}/config`,
        pidFile: `${home}/pid`,
        processLog: `${home}/logs/process.log`,
      },
    });
    const node = new ThrowawayOpenSearch(service, home);
    try {
      await service.install(log);
      const pid = await service.launch(log);
      await until(async () => {
        if (!await isOurProcess(pid, service.marker)) {
          throw new Error(`secured OpenSearch exited:\n${await node.logTail()}`);
        }
        return await service.probe();
      }, { what: () => `secured OpenSearch at ${service.endpoint}`, deadlineMs, pollMs: 1_000 });
      await service.afterHealthy?.(log);
    } catch (err) {
      const tail = await node.logTail();
      await node.destroy();
      throw new Error(`${(err as Error).message}\n${tail}`);
    }
    return node;
  }

  /** The last lines of the node's log. */
  async logTail(): Promise<string> {
    return (await Deno.readTextFile(this.service.paths.processLog).catch(() => "")).slice(-3000);
  }

  /** Stops the node and deletes its home. */
  async destroy(): Promise<void> {
    await stopProcess(this.service.paths.pidFile, this.service.marker, 20_000).catch(() => {});
    await Deno.remove(this.home, { recursive: true }).catch(() => {});
  }
}
