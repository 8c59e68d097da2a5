/**
 * Kafka's own performance tools (`org.apache.kafka.tools.ProducerPerformance` / `ConsumerPerformance`, the
 * same Kafka version as the stack), installed once from Maven Central into `.vigil/producer-perf` by
 * `bench/producer_perf_pom.xml`, and run on vigil's event JSON: the raw Kafka limits of this machine.
 *
 * @module
 */

const REPO = new URL("../../", import.meta.url).pathname;
/** Where the kafka-tools jars and their dependencies are installed. */
export const PERF_LIB = `${REPO}.vigil/producer-perf/lib`;

/** Installs the kafka-tools jars with Maven unless present. @throws when Maven fails */
export async function ensurePerfJars(): Promise<void> {
  try {
    if ([...Deno.readDirSync(PERF_LIB)].some((e) => e.name.startsWith("kafka-tools-"))) return;
  } catch { /* not installed */ }
  console.error("installing Kafka perf tool jars (Maven, once)...");
  const out = await new Deno.Command("mvn", {
    args: [
      "-B",
      "-q",
      "-f",
      `${REPO}bench/producer_perf_pom.xml`,
      `-Dmaven.repo.local=${REPO}.vigil/m2`,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${PERF_LIB}`,
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("Maven could not install kafka-tools (see above)");
}

async function runTool(mainClass: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("java", {
    args: ["-Xmx512m", "-cp", `${PERF_LIB}/*`, mainClass, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${mainClass} failed:\n${text}\n${new TextDecoder().decode(out.stderr).slice(-4000)}`);
  }
  return text;
}

/** Options of {@link producerPerformance}. */
export interface ProducerPerformanceOptions {
  brokers: string[];
  topic: string;
  records: number;
  /** A file of payloads, one per line (vigil LogEvent JSON). */
  payloadFile: string;
  /** Extra producer properties (`key=value`). Default: acks=all, idempotence, zstd. */
  props?: string[];
}

/** Runs ProducerPerformance at full speed; returns records/s. @throws when the tool fails */
export async function producerPerformance(o: ProducerPerformanceOptions): Promise<number> {
  const text = await runTool("org.apache.kafka.tools.ProducerPerformance", [
    "--topic",
    o.topic,
    "--num-records",
    String(o.records),
    "--throughput",
    "-1",
    "--payload-file",
    o.payloadFile,
    "--producer-props",
    `bootstrap.servers=${o.brokers.join(",")}`,
    ...(o.props ?? ["acks=all", "enable.idempotence=true", "compression.type=zstd"]),
  ]);
  const m = /(\d+) records sent, ([\d.]+) records\/sec/.exec(text.trim().split("\n").at(-1) ?? "");
  if (!m) throw new Error(`ProducerPerformance printed no summary:\n${text}`);
  return Number(m[2]);
}

/**
 * Runs ConsumerPerformance over `messages` records of `topic` (read from the beginning by a fresh group);
 * returns records/s while fetching (the group join is excluded, as it is for a long-running engine).
 * @throws when the tool fails or prints no result line
 */
export async function consumerPerformance(
  brokers: string[],
  topic: string,
  messages: number,
): Promise<number> {
  const text = await runTool("org.apache.kafka.tools.ConsumerPerformance", [
    "--bootstrap-server",
    brokers.join(","),
    "--topic",
    topic,
    "--messages",
    String(messages),
    "--timeout",
    "60000",
    "--group",
    `bench-perf-${crypto.randomUUID().slice(0, 8)}`,
  ]);
  // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  //         rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const lines = text.trim().split("\n");
  const header = lines.findIndex((l) => l.includes("nMsg.sec"));
  if (header < 0 || !lines[header + 1]) throw new Error(`ConsumerPerformance printed no result:\n${text}`);
  const names = lines[header].split(",").map((s) => s.trim());
  const values = lines[header + 1].split(",").map((s) => s.trim());
  const fetch = Number(values[names.indexOf("fetch.nMsg.sec")]);
  const total = Number(values[names.indexOf("nMsg.sec")]);
  const consumed = Number(values[names.indexOf("data.consumed.in.nMsg")]);
  if (!(consumed >= messages)) {
    throw new Error(`ConsumerPerformance read ${consumed} of ${messages}:\n${text}`);
  }
  return Number.isFinite(fetch) && fetch > 0 ? fetch : total;
}
