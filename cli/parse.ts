/**
 * `deno task parse --input FILE --format FORMAT_OR_PRESET --output OUT.csv`: parses a log file and mines its
 * templates with exactly the parser actor's code, writing Loghub's structured CSV (`LineId`, each format
 * field, `Content`, `EventId`, `EventTemplate`). `.gz` inputs are decompressed transparently. A summary goes to
 * stderr. Exit code 2 on bad arguments, 1 on I/O errors.
 * @module
 */
import { parseArgs } from "node:util";
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { decodeLineBatches } from "../lib/parsing/line_decoder.ts";
import { csvHeader, csvRow, CsvRowCollector } from "../lib/parsing/structured_csv.ts";
import { csvRecord } from "../lib/parsing/csv.ts";

const USAGE = "usage: deno task parse --input FILE --format FORMAT_OR_PRESET --output OUT.csv";

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let values: { input?: string; format?: string; output?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { input: { type: "string" }, format: { type: "string" }, output: { type: "string" } },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.input || !values.format || !values.output) {
    console.error(USAGE);
    return 2;
  }
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
