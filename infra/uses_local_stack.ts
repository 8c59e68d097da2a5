/**
 * Whether a configuration talks to the project's own local stack (and so may start it), or to external
 * services (which vigil never starts or stops) — and a lease on the local stack for commands that need it.
 *
 * @module
 */
import { type VigilConfig, VigilConfigSchema } from "../lib/config/vigil_config.ts";
import { acquireStack, type StackLease } from "./stack_lease.ts";

/** True when every endpoint of the configuration is the local stack's default. */
export function usesLocalStack(config: VigilConfig): boolean {
  const defaults = VigilConfigSchema.parse({});
  return config.kafka.brokers.join(",") === defaults.kafka.brokers.join(",") &&
    config.hot.url === defaults.hot.url && config.s3.endpoint === defaults.s3.endpoint;
}

/**
 * For a command that needs the services (`deno task bench`, `deno task chaos`): a lease on the local stack,
 * starting (and on first use installing) what is not running, when the configuration uses it; undefined for
 * external services. Release it when done: services this run started stop with the last holder.
 *
 * @throws {StackError} when the local stack cannot start
 */
export async function leaseLocalStackIfUsed(
  config: VigilConfig,
  log: (line: string) => void,
): Promise<StackLease | undefined> {
  return usesLocalStack(config) ? await acquireStack([], log) : undefined;
}
