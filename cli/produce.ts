/**
 * `deno task produce`: reads logs (a file, stdin, a followed file, or the synthetic Windows source), turns
 * each line into a structured event and publishes it to Kafka. See `--help`.
 *
 * Exit codes: 0 done; 1 error (a bad option value, input or Kafka failure — events that failed are counted in
 * the summary); 2 an unknown option; 130 interrupted by Ctrl-C (after flushing what was read).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config/vigil_config.ts";
import { ANOMALY_KINDS, type AnomalyKind } from "../lib/producer/synthetic_labels.ts";
import type { AnomalyOptions } from "../lib/producer/synthetic_windows.ts";
import { type ProduceOptions, runProducer, SYNTHETIC_SOURCES } from "../lib/producer/produce_run.ts";
import { formatProgress, formatSummary } from "../lib/producer/progress_format.ts";
import { presetList, USAGE_EXIT_CODE, usageMessage } from "../lib/cli/cli_args.ts";

const HELP = `Usage: deno task produce [source] [options]

Sources (exactly one):
  --input PATH           read a log file (gzip is detected and inflated)
  --stdin                read standard input
  --synthetic windows    generate realistic Windows CBS/CSI lines with injected anomalies

Options:
  --format F             line format: a preset (windows, hdfs, bgl, linux, ...) or a Loghub-style
                         format string such as '<Date> <Time> <Level> <Component>: <Content>'
                         (required with --input/--stdin)
  --follow               with --input: keep reading appended lines like tail -F (survives rotation)
  --rate N|max           events/s (file/stdin: paced at N, default unpaced; synthetic: base rate, default 100)
  --replay-speed X       replay the events' own inter-arrival times divided by X
  --retime now           file/stdin: shift event time so the input plays as if happening now, at its own
                         pace × --replay-speed (default 1); the original time stays in fields.originalTs
  --loop N               read the input N times (default 1)
  --max-events N         stop after N events
  --topic NAME           Kafka topic (default: config kafka.topic)
  --partitions N         partitions when the topic is created (default: config kafka.partitions)
  --host NAME            host of the events (default: config producer.host, else this machine's name)
Synthetic only:
  --seed N               PRNG seed (default 1)
  --hosts N              simulate a fleet of N hosts named <host>-01.. (default 1)
  --anomalies LIST       none, all (default), or a comma list of: ${ANOMALY_KINDS.join(", ")}
  --anomaly-every N      mean lines between injected episodes (default 5000)
  --labels PATH          write ground-truth labels (CSV) and PATH's .episodes.json
  --output PATH          write the lines to PATH (+ PATH.labels.csv) instead of Kafka; needs --max-events
  --quiet                no progress line
  -h, --help             this help

Configuration (brokers, compression, batching...): vigil.config.json or VIGIL_* variables.
Presets: ${presetList(9)}.

Examples:
  deno task produce --input ../shared/loghub/OpenSSH/OpenSSH_2k.log --format openssh
  deno task produce --input /var/log/syslog --format linux --follow
  deno task produce --input ../shared/loghub/Windows/Windows_2k.log --format windows --retime now --replay-speed 600
  journalctl -f -o short | deno task produce --stdin --format linux
  deno task produce --synthetic windows --rate 500 --hosts 4
  deno task produce --synthetic windows --max-events 10000 --output /tmp/win.log --labels /tmp/win.labels.csv
`;

function fail(message: string): never {
  console.error(`produce: ${message}`);
  Deno.exit(1);
}

function num(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    fail(
      `--${name} must be ${integer ? "an integer" : "a number"}: current value is ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function anomalies(list: string | undefined, every: number | undefined): AnomalyOptions | false | undefined {
  if (list === "none") return false;
  if (list === undefined || list === "all") return every === undefined ? undefined : { every };
  const kinds = list.split(",").map((k) => k.trim()).filter((k) => k.length > 0);
  for (const k of kinds) {
    if (!(ANOMALY_KINDS as readonly string[]).includes(k)) {
      fail(`--anomalies: unknown kind ${JSON.stringify(k)} (known: none, all, ${ANOMALY_KINDS.join(", ")})`);
    }
  }
  return { kinds: kinds as AnomalyKind[], every };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        input: { type: "string" },
        stdin: { type: "boolean" },
        synthetic: { type: "string" },
        format: { type: "string" },
        follow: { type: "boolean" },
        rate: { type: "string" },
        "replay-speed": { type: "string" },
        retime: { type: "string" },
        loop: { type: "string" },
        "max-events": { type: "string" },
        topic: { type: "string" },
        partitions: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        hosts: { type: "string" },
        anomalies: { type: "string" },
        "anomaly-every": { type: "string" },
        labels: { type: "string" },
        output: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    console.error(usageMessage("produce", (err as Error).message));
    return USAGE_EXIT_CODE;
  }
  const v = parsed.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  if (v.synthetic !== undefined && !(SYNTHETIC_SOURCES as readonly string[]).includes(v.synthetic)) {
    fail(
      `--synthetic: unknown source ${JSON.stringify(v.synthetic)} (known: ${SYNTHETIC_SOURCES.join(", ")})`,
    );
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts > 1) Deno.exit(130); // a second Ctrl-C does not wait for the flush
    console.error("\nproduce: interrupted — flushing what was read (Ctrl-C again to quit now)");
    controller.abort();
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const tty = Deno.stderr.isTerminal() && !v.quiet;
  const enc = new TextEncoder();
  const options: ProduceOptions = {
    input: v.input,
    stdin: v.stdin,
    synthetic: v.synthetic as ProduceOptions["synthetic"],
    format: v.format,
    follow: v.follow,
    rate: v.rate === "max" ? Infinity : num("rate", v.rate),
    replaySpeed: num("replay-speed", v["replay-speed"]),
    retime: v.retime as ProduceOptions["retime"],
    loop: num("loop", v.loop, true),
    maxEvents: num("max-events", v["max-events"], true),
    topic: v.topic,
    partitions: num("partitions", v.partitions, true),
    host: v.host,
    seed: num("seed", v.seed, true),
    hosts: num("hosts", v.hosts, true),
    anomalies: anomalies(v.anomalies, num("anomaly-every", v["anomaly-every"])),
    labelsPath: v.labels,
    output: v.output,
    signal: controller.signal,
    onProgress: tty ? (p) => Deno.stderr.writeSync(enc.encode(`\r${formatProgress(p)}\x1b[K`)) : undefined,
  };
  try {
    const config = await loadConfig();
    const summary = await runProducer(config, options);
    if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
    console.error(formatSummary(summary));
    if (summary.failed > 0 || summary.error) return 1;
    return summary.interrupted ? 130 : 0;
  } catch (err) {
    if (tty) Deno.stderr.writeSync(enc.encode("\r\x1b[K"));
    const e = err as Error;
    const cause = e.cause instanceof Error && !e.message.includes(e.cause.message)
      ? ` (${e.cause.message})`
      : "";
    console.error(`produce: ${e.message}${cause}`);
    return 1;
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) Deno.exit(await main());
