/**
 * `deno task stack up | down | status | logs [service] [-n LINES]`: the local Kafka, OpenSearch and S3
 * server, installed on first use into `.vigil/` and run on 127.0.0.1.
 *
 * Exit codes: 0 success; 1 a stack problem (message printed); 2 bad usage; `status` exits 3 when any
 * selected service is not healthy.
 *
 * @module
 */
import { selectServices, stackDown, stackStatus, stackUp } from "./local_stack.ts";
import { StackError } from "./stack_error.ts";
import { REPO_ROOT } from "./stack_paths.ts";

const USAGE = `usage: deno task stack <command> [service...]

commands:
  up [service...]       install on first use, start, wait until healthy
  down [service...]     stop what 'up' started
  status [service...]   healthy / starting / down for each service (exit 3 if any is not healthy)
  logs [service] [-n N] print the last N (default 100) lines of each log file

services: kafka, opensearch, s3 (default: all)`;

function rel(path: string): string {
  return path.startsWith(REPO_ROOT + "/") ? path.slice(REPO_ROOT.length + 1) : path;
}

async function printStatus(names: string[]): Promise<boolean> {
  const statuses = await stackStatus(names);
  const services = selectServices(names);
  for (const s of statuses) {
    const svc = services.find((x) => x.name === s.name)!;
    const pid = s.pid ? `pid ${s.pid}` : "";
    console.log(
      `${s.name.padEnd(11)} ${s.state.padEnd(9)} ${s.endpoint.padEnd(24)} ${pid.padEnd(11)} ` +
        `logs ${rel(svc.paths.logs)}`,
    );
  }
  return statuses.every((s) => s.state === "healthy");
}

async function printLogs(names: string[], lines: number): Promise<void> {
  for (const service of selectServices(names)) {
    for (const file of service.logFiles) {
      console.log(`==> ${rel(file)} <==`);
      try {
        const text = await Deno.readTextFile(file);
        console.log(text.trimEnd().split("\n").slice(-lines).join("\n"));
      } catch {
        console.log("(no log yet)");
      }
    }
  }
}

/** Runs the CLI with `args` and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  let lines = 100;
  const names: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "-n") {
      lines = Number(rest[++i]);
      if (!Number.isInteger(lines) || lines < 1) {
        console.error(`-n must be a positive integer: current value is ${rest[i]}`);
        return 2;
      }
    } else names.push(rest[i]);
  }
  try {
    switch (command) {
      case "up": {
        const started = performance.now();
        const res = await stackUp(names);
        const took = ((performance.now() - started) / 1000).toFixed(1);
        const each = Object.entries(res.startSeconds).map(([n, s]) => `${n} ${s} s`).join(", ");
        console.log(
          res.started.length ? `stack up in ${took} s (healthy after launch: ${each})` : "stack already up",
        );
        await printStatus(names);
        return 0;
      }
      case "down": {
        const stopped = await stackDown(names);
        if (stopped.length === 0) console.log("nothing to stop");
        return 0;
      }
      case "status":
        return await printStatus(names) ? 0 : 3;
      case "logs":
        await printLogs(names, lines);
        return 0;
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (err) {
    if (err instanceof StackError) {
      console.error(`stack: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
