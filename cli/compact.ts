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
import { DEFAULT_TARGET_BYTES } from "../actors/cold_compaction/day_compactor.ts";
import { runColdLifecycle } from "../actors/cold_compaction/cold_lifecycle.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";
import { silentLogger } from "../engine/logger.ts";

/** `deno task compact --help`. */
export const COMPACT_HELP = `Usage: deno task compact [options]

Merges the cold tier's small Parquet objects: per dt=/hour=/classification= directory, the objects of one
topic-partition become one object (key part-<topic>-<partition>-<first>-<last>.parquet covering theirs). The
merged object is written before its sources are deleted, and readers skip an object another one covers, so an
interrupted run loses and duplicates nothing; run it again to finish. First, when cold.retentionDays is set,
deletes the dt=/hour= partitions whose hour ended more than that many days ago. Then, per day that ended
--min-age-hours ago, classification and topic-partition, merges the day's objects into day objects of about
--target-mib each (dt=<day>/classification=<c>/day-<topic>-<partition>-<first>-<last>-g<gen>-<i>of<n>.parquet;
readers read a generation only once all its n objects exist).

Options:
  --target-mib M         size each day object aims at (default ${DEFAULT_TARGET_BYTES / 1048576})
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
  targetBytes: number;
}

/** Parses `compact` arguments. @throws {UsageError} on an unknown option or a bad value */
export function parseCompactArgs(args: readonly string[]): CompactArgs {
  const { values } = parseCliArgs({
    args: [...args],
    options: { "min-age-hours": { type: "string" }, "target-mib": { type: "string" } },
  });
  const targetMib = Number(values["target-mib"] ?? DEFAULT_TARGET_BYTES / 1048576);
  if (!Number.isFinite(targetMib) || targetMib <= 0) {
    throw new UsageError(`--target-mib must be a number > 0: current value is ${values["target-mib"]}`);
  }
  const minAgeHours = Number(values["min-age-hours"] ?? "2");
  if (!Number.isFinite(minAgeHours) || minAgeHours < 0) {
    throw new UsageError(`--min-age-hours must be a number ≥ 0: current value is ${values["min-age-hours"]}`);
  }
  return { minAgeHours, targetBytes: Math.round(targetMib * 1048576) };
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
      const report = await runColdLifecycle(cold.service, `${config.s3.prefix}events/`, {
        retentionDays: config.cold.retentionDays,
        minAgeMs: parsed.args.minAgeHours * 3_600_000,
        targetBytes: parsed.args.targetBytes,
        log: (line) => console.log(line),
      });
      if (config.cold.retentionDays > 0) {
        console.log(
          `retention: ${report.expired} objects older than ${config.cold.retentionDays} days deleted`,
        );
      }
      for (const [level, r] of [["hours", report.hours], ["days", report.days]] as const) {
        console.log(
          `compact ${level} done: ${r.written} objects written, ${r.deleted} deleted, ${r.rows} rows, ${r.bytes} bytes`,
        );
      }
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
