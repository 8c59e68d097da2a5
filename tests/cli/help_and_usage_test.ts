/**
 * Issue 20, defect 4: every task answers `--help` with its options and examples and exit code 0 without starting
 * anything (with the stack down, `engine --help` used to start the engine and wait), and refuses an unknown
 * option with one clear line and exit code 2 (dlq and replay used to crash with an uncaught TypeError). Each CLI
 * runs as the task does, in a subprocess with a deadline.
 */
import assert from "node:assert/strict";
import { parseDlqArgs } from "../../cli/dlq.ts";
import { parseReplayArgs } from "../../cli/replay.ts";
import { parseParseArgs } from "../../cli/parse.ts";
import { parseTrainArgs } from "../../cli/train.ts";
import { parseClassifyArgs } from "../../cli/classify.ts";
import { handleArgs, refuseArgs, UsageError, wantsHelp } from "../../lib/cli/cli_args.ts";

const TASKS = [
  "engine",
  "dlq",
  "replay",
  "compact",
  "parse",
  "classify",
  "incidents",
  "produce",
  "ingest",
  "start",
  "web",
  "train",
] as const;

async function runTask(task: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`../../cli/${task}.ts`, import.meta.url).pathname, ...args],
    // Endpoints nobody listens on: a task that started anything would fail or hang, not print help.
    env: {
      VIGIL_KAFKA_BROKERS: "127.0.0.1:1",
      VIGIL_HOT_URL: "http://127.0.0.1:1",
      VIGIL_S3_ENDPOINT: "http://127.0.0.1:1",
      VIGIL_WEB_PORT: "1",
      VIGIL_ENGINE_METRICS_PORT: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs `fn` over `items` with at most `n` at a time (the machine runs other tests). */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
  }));
}

Deno.test("every task: --help prints its usage, options and examples, exit 0, nothing started", async () => {
  await pool(TASKS, 4, async (task) => {
    for (const flag of ["--help", "-h"]) {
      const r = await runTask(task, [flag]);
      assert.equal(r.code, 0, `${task} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: deno task ${task}\\b`), `${task} ${flag}`);
      assert.match(r.stdout, /\n {2}-h, --help +this help/, `${task} lists its options`);
      assert.match(r.stdout, new RegExp(`Examples:\\n  (\\S+=\\S+ )?deno task ${task}\\b`), task);
      assert.equal(r.stderr, "", `${task} ${flag} wrote to stderr`);
    }
  });
});

Deno.test("every task: an unknown option is one clear line and exit 2, never an uncaught error", async () => {
  await pool(TASKS, 4, async (task) => {
    const r = await runTask(task, ["--bogus"]);
    assert.equal(r.code, 2, `${task}: ${r.stderr}`);
    assert.match(r.stderr, /--bogus/, task);
    assert.match(r.stderr, new RegExp(`deno task ${task} --help`), `${task} points at --help`);
    assert.doesNotMatch(r.stderr, /Uncaught|^ {4}at /m, `${task} crashed`);
  });
});

Deno.test("argument parsers: subcommands, required options and values are usage errors", () => {
  assert.deepEqual(parseDlqArgs([]), {
    command: "list",
    stage: undefined,
    limit: undefined,
    to: undefined,
    dryRun: false,
  });
  assert.deepEqual(parseDlqArgs(["redrive", "--stage", "hot_sink", "--dry-run"]), {
    command: "redrive",
    stage: "hot_sink",
    limit: undefined,
    to: undefined,
    dryRun: true,
  });
  assert.throws(() => parseDlqArgs(["purge"]), UsageError);
  assert.throws(() => parseDlqArgs(["list", "--limit", "0"]), /--limit must be a positive integer/);
  assert.throws(() => parseDlqArgs(["--help"]), /Unknown option '--help'/); // help is handled before parsing
  assert.throws(() => parseReplayArgs([]), /--since is required/);
  assert.throws(() => parseReplayArgs(["--since", "yesterday"]), TypeError);
  assert.equal(parseReplayArgs(["--since", "2016-09-28"]).since.toISOString(), "2016-09-28T00:00:00.000Z");
  assert.throws(() => parseParseArgs(["--input", "x"]), /--format is missing/);
  assert.deepEqual(parseTrainArgs([]), { python: "python3", out: undefined });
  assert.throws(() => parseTrainArgs(["--out"]), UsageError);
  assert.throws(() => refuseArgs(["-v"]), /Unknown option "-v"/);
  assert.equal(wantsHelp(["--input", "x", "-h"]), true);
  assert.equal(wantsHelp(["--", "--help"]), false);
  // handleArgs: help wins over anything else; a TypeError from a parser is a usage error (exit 2).
  const quiet = { log: console.log, error: console.error };
  console.log = console.error = () => {};
  try {
    assert.deepEqual(handleArgs("classify", "help", ["--bogus", "--help"], parseClassifyArgs), { exit: 0 });
    assert.deepEqual(handleArgs("classify", "help", ["--bogus"], parseClassifyArgs), { exit: 2 });
  } finally {
    Object.assign(console, quiet);
  }
});
