/**
 * `deno task compact [--min-age-hours H]`
 *
 * Expires the cold tier's partitions older than `cold.retentionDays` (when set), then merges its small Parquet
 * objects: in each `dt=/hour=/classification=` directory, the objects of one topic-partition become one object
 * whose key covers their offset ranges (see `actors/cold_compaction/compaction_plan.ts` for the rule readers
 * apply). Safe to interrupt and to rerun.
 *
 * @module
 */
import { loadConfig } from "../lib/config/vigil_config.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { coldSinkOptionsFromConfig } from "../actors/cold_sink/config.ts";
import { compact } from "../actors/cold_compaction/compactor.ts";
import { expireColdObjects } from "../actors/cold_compaction/cold_retention.ts";
import { hourEnded } from "../actors/cold_compaction/hour_partition.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";
import { silentLogger } from "../engine/logger.ts";

/** `deno task compact --help`. */
export const COMPACT_HELP = `Usage: deno task compact [options]

Merges the cold tier's small Parquet objects: per dt=/hour=/classification= directory, the objects of one
topic-partition become one object (key part-<topic>-<partition>-<first>-<last>.parquet covering theirs). The
merged object is written before its sources are deleted, and readers skip an object another one covers, so an
interrupted run loses and duplicates nothing; run it again to finish. First, when cold.retentionDays is set,
deletes the dt=/hour= partitions whose hour ended more than that many days ago.

Options:
  --min-age-hours H      only hours (by their dt=/hour= name) that ended at least H hours ago, so the sink no
                         longer writes them (default 2; keep it above cold.timeoutMs)
  -h, --help             this help

Examples:
  deno task compact
  deno task compact --min-age-hours 24
`;

/** A parsed `compact` command line. */
export interface CompactArgs {
  minAgeHours: number;
}

/** Parses `compact` arguments. @throws {UsageError} on an unknown option or a bad value */
export function parseCompactArgs(args: readonly string[]): CompactArgs {
  const { values } = parseCliArgs({ args: [...args], options: { "min-age-hours": { type: "string" } } });
  const minAgeHours = Number(values["min-age-hours"] ?? "2");
  if (!Number.isFinite(minAgeHours) || minAgeHours < 0) {
    throw new UsageError(`--min-age-hours must be a number ≥ 0: current value is ${values["min-age-hours"]}`);
  }
  return { minAgeHours };
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("compact", COMPACT_HELP, args, parseCompactArgs);
  if ("exit" in parsed) return parsed.exit;
  let secrets: string[] = [];
  try {
    const config = await loadConfig();
    secrets = secretsOf(config);
    const cold = new ColdSink({ ...coldSinkOptionsFromConfig(config), logger: silentLogger });
    try {
      const now = Date.now();
      const root = `${config.s3.prefix}events/`;
      // Expired partitions go first: compacting them would be wasted work.
      const expired = await expireColdObjects(cold.service, root, config.cold.retentionDays, now);
      if (config.cold.retentionDays > 0) {
        console.log(
          `retention: ${expired.length} objects older than ${config.cold.retentionDays} days deleted`,
        );
      }
      const report = await compact(cold.service, root, {
        includeDir: (dir) => hourEnded(dir, parsed.args.minAgeHours * 3_600_000, now),
        log: (line) => console.log(line),
      });
      console.log(
        `compact done: ${report.written} objects written, ${report.deleted} deleted, ${report.rows} rows, ${report.bytes} bytes`,
      );
    } finally {
      await cold.close(1000);
    }
    return 0;
  } catch (err) {
    console.error(`compact: ${redactError(err, secrets)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
