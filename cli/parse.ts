/**
 * `deno task parse --input FILE --format FORMAT_OR_PRESET --output OUT.csv`: parses a log file and mines its
 * templates with exactly the parser actor's code, writing Loghub's structured CSV (`LineId`, each format
 * field, `Content`, `EventId`, `EventTemplate`). `.gz` inputs are decompressed transparently. A summary goes to
 * stderr. Exit code 2 on bad arguments, 1 on I/O errors.
 * @module
 */
import { handleArgs, parseCliArgs, presetList, UsageError } from "../lib/cli/cli_args.ts";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { decodeLineBatches } from "../lib/parsing/line_decoder.ts";
import { csvHeader, csvRow, CsvRowCollector } from "../lib/parsing/structured_csv.ts";
import { csvRecord } from "../lib/parsing/csv.ts";

/** `deno task parse --help`. */
export const PARSE_HELP = `Usage: deno task parse --input FILE --format FORMAT_OR_PRESET --output OUT.csv

Parses a log file and mines its templates with exactly the parser actor's code, writing Loghub's structured CSV
(LineId, each format field, Content, EventId, EventTemplate). A summary goes to stderr. No service is needed.

Options:
  --input FILE           the log file (.gz read transparently)
  --format F             a preset: ${presetList()}
                         or a Loghub-style format string, e.g. '<Date> <Time> <Level> <Component>: <Content>'
  --output OUT.csv       where to write the structured CSV (overwritten)
  -h, --help             this help

Exit codes: 0 done, 1 I/O error, 2 bad arguments.

Examples:
  deno task parse --input ../shared/loghub/OpenSSH/OpenSSH_2k.log --format openssh --output /tmp/ssh.csv
  deno task parse --input app.log.gz --format '<Date> <Time> <Level> <Component>: <Content>' --output app.csv
`;

/** Parsed command line. */
export interface ParseArgs {
  input: string;
  format: string;
  output: string;
}

/** Parses `parse` arguments. @throws {UsageError} on an unknown or missing option */
export function parseParseArgs(args: readonly string[]): ParseArgs {
  const { values } = parseCliArgs({
    args: [...args],
    options: { input: { type: "string" }, format: { type: "string" }, output: { type: "string" } },
  });
  for (const k of ["input", "format", "output"] as const) {
    if (!values[k]) throw new UsageError(`--${k} is missing`);
  }
  return values as ParseArgs;
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = handleArgs("parse", PARSE_HELP, args, parseParseArgs);
  if ("exit" in parsed) return parsed.exit;
  const values = parsed.args;
  let format;
  try {
    format = resolveLogFormat(values.format);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const started = performance.now();
  try {
    using file = await Deno.open(values.input, { read: true });
    let stream: ReadableStream<Uint8Array> = file.readable;
    if (values.input.endsWith(".gz")) {
      stream = stream.pipeThrough(
        new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
    }
    const collector = new CsvRowCollector(format, { source: values.input, host: Deno.hostname() });
    for await (const batch of decodeLineBatches(stream)) for (const line of batch) collector.push(line);
    const rows = collector.finish();
    const out = await Deno.open(values.output, { write: true, create: true, truncate: true });
    const writer = out.writable.getWriter();
    const enc = new TextEncoder();
    let buf = csvRecord(csvHeader(format)) + "\n";
    for (const r of rows) {
      buf += csvRow(format, r) + "\n";
      if (buf.length > 1 << 20) {
        await writer.write(enc.encode(buf));
        buf = "";
      }
    }
    await writer.write(enc.encode(buf));
    await writer.close();
    const s = collector.stats;
    const secs = (performance.now() - started) / 1000;
    console.error(
      `parsed ${s.lines} lines → ${s.events} events (${s.parseErrors} parse errors, ${s.empty} empty, ` +
        `${s.continuations} continuation) in ${
          secs.toFixed(2)
        } s; ${collector.miner.registry.size} templates → ${values.output}`,
    );
    return 0;
  } catch (e) {
    console.error(`parse failed: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
