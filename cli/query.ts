/**
 * `deno task query --from TIME [--to TIME] [--level L[,L…]] [--component C] [--text T] [--limit N] [--count]`
 *
 * Answers from the cold tier (Parquet on S3) without the hot tier: the newest matching events as JSON lines, or
 * their count. Reads through the cold query reader (`actors/cold_query/cold_query.ts`): only the hours of the
 * range, only row groups whose statistics can match, only the needed columns, within a bytes and time budget.
 *
 * @module
 */
import { loadConfig } from "../lib/config/vigil_config.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";
import { resolveColdSinkConfig } from "../actors/cold_sink/config.ts";
import { coldSinkOptionsFromConfig } from "../actors/cold_sink/config.ts";
import { S3ColdService } from "../actors/cold_sink/service.ts";
import { ColdQueryBudgetError, ColdQueryReader } from "../actors/cold_query/cold_query.ts";
import type { ColdQueryFilter } from "../actors/cold_query/cold_query_filter.ts";
import { DEFAULT_QUERY_BUDGET, type QueryBudgetLimits } from "../actors/cold_query/query_budget.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";
import { parseTime } from "./replay.ts";

/** `deno task query --help`. */
export const QUERY_HELP = `Usage: deno task query --from TIME [--to TIME] [filters] [--count | --limit N]

Reads events from the cold tier (Parquet on S3) — history older than the hot tier keeps — and prints JSON
lines on stdout: the newest matching events, newest first, or {"count": N} with --count. What the query read
(objects, row groups skipped by their statistics, S3 bytes vs a full scan's) goes to stderr as one JSON line.

Options:
  --from TIME            first instant, inclusive (required); ISO 8601, UTC when no zone is given
  --to TIME              end of the range, exclusive (default: now)
  --level L[,L...]       only these levels (trace, debug, info, notice, warn, error, critical, fatal)
  --component C          only this component (exact)
  --text T               only events whose message contains T (case-insensitive)
  --limit N              how many events (default 50, at most 10000)
  --count                print the number of matching events instead
  --max-bytes B          stop with an error past B bytes read from S3 (default ${DEFAULT_QUERY_BUDGET.maxBytes})
  --timeout-ms MS        stop with an error past MS milliseconds (default ${DEFAULT_QUERY_BUDGET.maxMs})
  -h, --help             this help

Examples:
  deno task query --from 2016-09-28 --to 2016-10-05 --level error --component CBS --count
  deno task query --from 2016-09-28T04 --level error,fatal --text "failed" --limit 20
`;

/** A parsed `query` command line. */
export interface QueryArgs {
  filter: ColdQueryFilter;
  limit: number;
  count: boolean;
  budget: QueryBudgetLimits;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--${name} must be a positive integer: current value is ${text}`);
  }
  return n;
}

/** Parses `query` arguments. @throws {UsageError} on an unknown option or a bad value */
export function parseQueryArgs(args: readonly string[], now = new Date()): QueryArgs {
  const { values } = parseCliArgs({
    args: [...args],
    options: {
      from: { type: "string" },
      to: { type: "string" },
      level: { type: "string" },
      component: { type: "string" },
      text: { type: "string" },
      limit: { type: "string" },
      count: { type: "boolean" },
      "max-bytes": { type: "string" },
      "timeout-ms": { type: "string" },
    },
  });
  if (values.from === undefined) throw new UsageError("--from is required");
  const time = (text: string, name: string) => {
    try {
      return parseTime(text, name, "query");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  };
  const filter: ColdQueryFilter = {
    from: time(values.from, "from"),
    to: values.to === undefined ? now : time(values.to, "to"),
  };
  if (values.level !== undefined) filter.levels = values.level.split(",").map((l) => l.trim().toLowerCase());
  if (values.component !== undefined) filter.component = values.component;
  if (values.text !== undefined && values.text !== "") filter.text = values.text;
  return {
    filter,
    limit: positive("limit", values.limit, 50),
    count: values.count === true,
    budget: {
      maxBytes: positive("max-bytes", values["max-bytes"], DEFAULT_QUERY_BUDGET.maxBytes),
      maxMs: positive("timeout-ms", values["timeout-ms"], DEFAULT_QUERY_BUDGET.maxMs),
    },
  };
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("query", QUERY_HELP, args, parseQueryArgs);
  if ("exit" in parsed) return parsed.exit;
  const { filter, limit, count, budget } = parsed.args;
  let secrets: string[] = [];
  try {
    const config = await loadConfig();
    secrets = secretsOf(config);
    const service = new S3ColdService(resolveColdSinkConfig(coldSinkOptionsFromConfig(config)));
    try {
      const reader = new ColdQueryReader(service, { prefix: config.s3.prefix });
      if (count) {
        const result = await reader.count(filter, { budget });
        console.log(JSON.stringify({ count: result.count }));
        console.error(JSON.stringify({ stats: result.stats }));
      } else {
        const result = await reader.page(filter, limit, { budget });
        for (const event of result.events) console.log(JSON.stringify(event));
        console.error(JSON.stringify({ stats: result.stats }));
      }
    } finally {
      service.close();
    }
    return 0;
  } catch (err) {
    if (err instanceof ColdQueryBudgetError || err instanceof RangeError) {
      console.error(`query: ${err.message}`);
      return 1;
    }
    console.error(`query: ${redactError(err, secrets)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
