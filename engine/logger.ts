/**
 * The engine's structured logger role: one line of JSON per event on stderr, filtered by level. Inject your own
 * (any object with these four methods) through the actor system options.
 *
 * @module
 */

/** Log levels, most verbose first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** A structured logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function errorFields(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (fields === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message } : v;
  }
  return out;
}

/**
 * A logger writing JSON lines (`{ts, level, msg, ...fields}`) to stderr.
 *
 * @param level least severe level written (default "info")
 * @param bindings fields added to every line (e.g. `{ actor: "parser" }`)
 *
 * @example
 * ```ts
 * import { jsonLogger } from "./logger.ts";
 * const log = jsonLogger("warn", { component: "engine" });
 * log.info("not written");
 * ```
 */
export function jsonLogger(level: LogLevel = "info", bindings: Record<string, unknown> = {}): Logger {
  const min = ORDER[level];
  const write = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const line = { ts: new Date().toISOString(), level: lvl, msg, ...bindings, ...errorFields(fields) };
    console.error(JSON.stringify(line));
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/**
 * A logger that discards everything (tests, benchmarks).
 *
 * @example
 * ```ts
 * import { silentLogger } from "./logger.ts";
 * silentLogger.error("nobody hears this");
 * ```
 */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A logger that adds `bindings` to every line of `logger` (fields given at the call win).
 *
 * @example
 * ```ts
 * import { silentLogger, withFields } from "./logger.ts";
 * const log = withFields(silentLogger, { actor: "/parser" });
 * log.info("started");
 * ```
 */
export function withFields(logger: Logger, bindings: Record<string, unknown>): Logger {
  const bind = (f: Logger["info"]) => (msg: string, fields?: Record<string, unknown>) =>
    f(msg, { ...bindings, ...fields });
  return {
    debug: bind(logger.debug.bind(logger)),
    info: bind(logger.info.bind(logger)),
    warn: bind(logger.warn.bind(logger)),
    error: bind(logger.error.bind(logger)),
  };
}
