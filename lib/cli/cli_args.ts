/**
 * What every `deno task` CLI shares about its command line: `--help`/`-h` prints the task's help (options and
 * examples) to stdout and exits 0 before anything starts; an unknown option or a misused one is a
 * {@link UsageError}: one clear line on stderr pointing at `--help`, exit code 2 — never an uncaught `TypeError`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { LOG_FORMAT_PRESETS } from "../parsing/log_format.ts";

/** Exit code of a bad command line (unknown option, missing value, bad subcommand). */
export const USAGE_EXIT_CODE = 2;

/** A bad command line; the CLI prints it with a hint to `--help` and exits {@link USAGE_EXIT_CODE}. */
export class UsageError extends TypeError {
  override name = "UsageError";
}

/** True when the arguments ask for help: `--help` or `-h` anywhere before a `--` terminator. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

/** The line a CLI prints for a {@link UsageError}. */
export function usageMessage(task: string, message: string): string {
  return `${task}: ${message}\nRun 'deno task ${task} --help' for its options and examples.`;
}

/**
 * `node:util`'s `parseArgs` (strict by default), with its errors (unknown option, missing value, unexpected
 * positional) turned into {@link UsageError}s.
 */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config); // strict unless the config says otherwise
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

/** @throws {UsageError} when `args` holds anything: for tasks that take no options but `--help`. */
export function refuseArgs(args: readonly string[]): void {
  if (args.length > 0) {
    throw new UsageError(
      `Unknown option ${JSON.stringify(args[0])}: this task takes no options (configuration comes from ` +
        `vigil.config.json or VIGIL_* variables)`,
    );
  }
}

/**
 * Handles help and usage errors around a CLI's argument parsing.
 *
 * @param parse parses the arguments; throws a {@link UsageError} (or any `TypeError`) on a bad command line
 * @returns `{ exit }` when the CLI must stop now (help printed: 0; usage error printed: 2), else the parsed value
 */
export function handleArgs<T>(
  task: string,
  help: string,
  args: readonly string[],
  parse: (args: readonly string[]) => T,
): { exit: number } | { args: T } {
  if (wantsHelp(args)) {
    console.log(help.trimEnd());
    return { exit: 0 };
  }
  try {
    return { args: parse(args) };
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    console.error(usageMessage(task, err.message));
    return { exit: USAGE_EXIT_CODE };
  }
}

/**
 * The format presets, for help texts: comma-separated, wrapped at `width` columns, continuation lines indented
 * by `indent` spaces (the column where the list starts).
 */
export function presetList(indent = 25, width = 100): string {
  const lines: string[] = [];
  let line = "";
  for (const name of Object.keys(LOG_FORMAT_PRESETS)) {
    const next = line === "" ? name : `${line}, ${name}`;
    if (indent + next.length + 1 > width && line !== "") {
      lines.push(line + ",");
      line = name;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join("\n" + " ".repeat(indent));
}
