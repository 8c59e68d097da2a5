/**
 * `deno task replay --from s3 --since <time> --until <time> [--classification C] [--index-prefix P]`
 *
 * Re-indexes cold data (Parquet on S3) into the hot tier, e.g. after losing the hot cluster or to look at an
 * old incident. Documents keep their `_id` (`<topic>-<partition>-<offset>`), so replaying twice — or over data
 * that is still there — overwrites instead of duplicating. Times are ISO 8601 (UTC when no zone is given);
 * `--since` is inclusive, `--until` exclusive.
 *
 * @module
 */
import { loadConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "../actors/cold_sink/config.ts";
import { decodeParquet } from "../actors/cold_sink/parquet_codec.ts";
import { visibleKeys } from "../actors/cold_compaction/compaction_plan.ts";
import { hourPrefixes } from "../actors/cold_sink/object_key.ts";
import { HotSink } from "../actors/hot_sink/sink.ts";
import { hotSinkOptionsFromConfig } from "../actors/hot_sink/config.ts";
import { DeadLetterProducer } from "../actors/dead_letter_producer.ts";
import type { DeadLetterWriter } from "../actors/dead_letter_record.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";
import { silentLogger } from "../engine/logger.ts";

/** Options of {@link replayFromS3}. */
export interface ReplayOptions {
  /** First instant replayed (inclusive). */
  since: Date;
  /** End of the range (exclusive). */
  until: Date;
  /** Only this classification. Default: all. */
  classification?: string;
  /** Hot-tier index prefix to write to. Default `config.hot.indexPrefix`. */
  indexPrefix?: string;
  /** Where rejected documents go. Default: the Kafka DLQ. */
  deadLetters?: DeadLetterWriter;
  /** Progress lines. Default `console.log`. */
  log?: (line: string) => void;
}

/** What a replay did. */
export interface ReplayReport {
  objects: number;
  rows: number;
  indexed: number;
  deadLettered: number;
}

/** Parses a `--since`/`--until` value (`task` names the command in the error). */
export function parseTime(text: string, name: string, task = "replay"): Date {
  // Date-only forms parse as UTC already; date-times without a zone are taken as UTC too (not local time).
  let iso = /^\d{4}-\d{2}-\d{2}$/.test(text) || /([zZ]|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}Z$/.test(iso)) iso = iso.replace("Z", ":00Z");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    throw new TypeError(`Cannot ${task} as --${name} must be an ISO 8601 time: current value is ${text}`);
  }
  return d;
}

/**
 * Re-indexes the cold tier's rows with `since <= ts < until` into the hot tier.
 *
 * @throws {RangeError} when `until` is not after `since`, or the range spans more than 366 days
 */
export async function replayFromS3(config: VigilConfig, options: ReplayOptions): Promise<ReplayReport> {
  const { since, until, classification, log = console.log } = options;
  if (!(until > since)) {
    throw new RangeError(
      `Cannot replay as --until must be after --since: current values are ${since.toISOString()} and ${until.toISOString()}`,
    );
  }
  if (until.getTime() - since.getTime() > 366 * 24 * 3600_000) {
    throw new RangeError("Cannot replay as the range must be at most 366 days: split it into several runs");
  }
  const cold = new ColdSink({ ...coldSinkOptionsFromConfig(config), logger: silentLogger });
  const dlq = options.deadLetters ?? new DeadLetterProducer(config);
  const hot = new HotSink({
    ...hotSinkOptionsFromConfig(config),
    indexPrefix: options.indexPrefix ?? config.hot.indexPrefix,
    deadLetters: dlq,
  });
  const report: ReplayReport = { objects: 0, rows: 0, indexed: 0, deadLettered: 0 };
  try {
    await hot.start();
    // One listing per day: the day level of compaction moves a day's hours into day objects, and which objects
    // a compaction superseded (a run interrupted before deleting them leaves them) shows only in the whole day.
    const hours = hourPrefixes(config.s3.prefix, since, until);
    const days = [...new Set(hours.map((h) => h.slice(0, h.lastIndexOf("hour="))))];
    for (const dayPrefix of days) {
      const keys = visibleKeys(await cold.service.list(dayPrefix))
        .filter((k) => hours.some((h) => k.startsWith(h)) || !k.slice(dayPrefix.length).startsWith("hour="))
        .filter((k) => classification === undefined || k.includes(`/classification=${classification}/`));
      for (const key of keys) {
        const bytes = await cold.service.get(key);
        if (bytes === undefined) continue;
        const rows: DeliveryRecord[] = (await decodeParquet(bytes)).filter((r) => {
          const ts = new Date(r.event.ts);
          return ts >= since && ts < until;
        });
        report.objects++;
        report.rows += rows.length;
        for (const ack of await hot.write(rows)) {
          if (ack.outcome === "delivered") report.indexed++;
          else report.deadLettered++;
        }
        log(`replayed ${key}: ${rows.length} rows`);
      }
    }
  } finally {
    await hot.close();
    await cold.close(1000);
    if (options.deadLetters === undefined) await (dlq as DeadLetterProducer).close();
  }
  return report;
}

/** `deno task replay --help`. */
export const REPLAY_HELP = `Usage: deno task replay --since TIME [--until TIME] [options]

Re-indexes cold data (Parquet on S3) into the hot tier, e.g. after losing the hot cluster or to look at an old
incident. Documents keep their id, so replaying twice — or over data still there — overwrites, never duplicates.

Options:
  --from s3              where to read (only s3, the default)
  --since TIME           first instant replayed, inclusive (required); ISO 8601, UTC when no zone is given
  --until TIME           end of the range, exclusive (default: now); at most 366 days after --since
  --classification C     only events classified C: NORMAL, ANOMALY or CRITICAL_ANOMALY
  --index-prefix P       write to indices P-events-* instead of the configured hot.indexPrefix
  -h, --help             this help

Examples:
  deno task replay --since 2016-09-28 --until 2016-09-29
  deno task replay --since 2025-12-10T06:00 --until 2025-12-10T12:00 --classification CRITICAL_ANOMALY
  deno task replay --since 2016-09-28T04 --index-prefix vigil-restore
`;

/** A parsed `replay` command line. */
export interface ReplayArgs {
  since: Date;
  until?: Date;
  classification?: string;
  indexPrefix?: string;
}

/** Parses `replay` arguments. @throws {UsageError} on an unknown option, a missing --since or a bad value */
export function parseReplayArgs(args: readonly string[]): ReplayArgs {
  const { values } = parseCliArgs({
    args: [...args],
    options: {
      from: { type: "string", default: "s3" },
      since: { type: "string" },
      until: { type: "string" },
      classification: { type: "string" },
      "index-prefix": { type: "string" },
    },
  });
  if (values.from !== "s3") throw new UsageError(`--from must be s3: current value is ${values.from}`);
  if (values.since === undefined) {
    throw new UsageError("--since is required, e.g. --since 2016-09-28T00:00");
  }
  return {
    since: parseTime(values.since, "since"),
    until: values.until === undefined ? undefined : parseTime(values.until, "until"),
    classification: values.classification,
    indexPrefix: values["index-prefix"],
  };
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("replay", REPLAY_HELP, args, parseReplayArgs);
  if ("exit" in parsed) return parsed.exit;
  const { since, until = new Date(), classification, indexPrefix } = parsed.args;
  let secrets: string[] = [];
  try {
    const config = await loadConfig();
    secrets = secretsOf(config);
    const report = await replayFromS3(config, { since, until, classification, indexPrefix });
    console.log(
      `replay done: ${report.objects} objects, ${report.rows} rows, ${report.indexed} indexed, ${report.deadLettered} dead-lettered`,
    );
    return 0;
  } catch (err) {
    console.error(`replay: ${redactError(err, secrets)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
