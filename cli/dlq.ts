/**
 * `deno task dlq list [--stage S] [--limit N]` — prints the dead letters of `<topic>.dlq`, oldest first.
 * `deno task dlq redrive [--stage S] [--to TOPIC] [--dry-run]` — sends the original bytes (with the original
 * key) back to their topic (or `--to`) so they go through the pipeline again, e.g. after fixing a mapping.
 * Re-driving uses its own consumer group (`<groupId>-dlq-redrive`) and commits after each produced batch, so a
 * dead letter is re-driven once even across runs (at-least-once if interrupted mid-batch). A letter whose
 * envelope was cut to `delivery.deadLetterMaxBytes` (`truncated`) is never re-driven: its bytes are only a
 * prefix of the message, so it is skipped (and `list` shows how much was kept).
 *
 * @module
 */
import { stringSerializers } from "@platformatic/kafka";
import { loadConfig, type VigilConfig } from "../lib/config/vigil_config.ts";
import { redactError, secretsOf } from "../lib/config/redact_secrets.ts";
import { createKafkaConsumer, createKafkaProducer, dlqTopic } from "../lib/kafka/kafka_client.ts";
import { decodeDeadLetter } from "../actors/dead_letter_envelope.ts";
import { DEAD_LETTER_STAGES, type DeadLetterRecord } from "../actors/dead_letter_record.ts";
import { handleArgs, parseCliArgs, UsageError } from "../lib/cli/cli_args.ts";

/** A dead letter with where it sits in the DLQ topic. */
export interface DeadLetterEntry {
  partition: number;
  offset: bigint;
  /** The decoded dead letter, or undefined when the message is not an envelope. */
  letter?: DeadLetterRecord;
  /** Why the message could not be decoded. */
  error?: string;
}

/**
 * Reads a DLQ topic up to its current end (from the group's commits when `groupId` is given, else from the
 * beginning) and calls `onBatch` for each fetched batch; resolves when caught up.
 */
async function readToEnd(
  config: VigilConfig,
  topic: string,
  groupId: string | undefined,
  onBatch: (entries: DeadLetterEntry[], commit: () => Promise<void>) => Promise<boolean>,
): Promise<void> {
  const consumer = createKafkaConsumer(config, {
    groupId: groupId ?? `vigil-dlq-list-${crypto.randomUUID()}`,
  });
  try {
    const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const start = groupId === undefined ? [] : (await consumer.listCommittedOffsets({
      topics: [{ topic, partitions: ends.map((_, i) => i) }],
    })).get(topic) ?? [];
    const remaining = new Set(
      ends.flatMap((end, p) => end > (start[p] !== undefined && start[p] >= 0n ? start[p] : 0n) ? [p] : []),
    );
    if (remaining.size === 0) return;
    const stream = await consumer.consume({
      topics: [topic],
      mode: groupId === undefined ? "earliest" : "committed",
      fallbackMode: "earliest",
    });
    let batch: DeadLetterEntry[] = [];
    let last: { commit: () => void | Promise<void> } | undefined;
    const flush = async () => {
      if (batch.length === 0) return true;
      const entries = batch;
      batch = [];
      const commitTo = last;
      return await onBatch(entries, async () => {
        await commitTo?.commit();
      });
    };
    try {
      for await (const m of stream) {
        let entry: DeadLetterEntry = { partition: m.partition, offset: m.offset };
        try {
          entry = { ...entry, letter: decodeDeadLetter(m.value) };
        } catch (err) {
          entry = { ...entry, error: (err as Error).message };
        }
        batch.push(entry);
        last = m;
        if (m.offset + 1n >= ends[m.partition]) remaining.delete(m.partition);
        if (remaining.size === 0 || batch.length >= 500) {
          if (!await flush()) break;
        }
        if (remaining.size === 0) break;
      }
      await flush();
    } finally {
      await stream.close().catch(() => {});
    }
  } finally {
    await consumer.close().catch(() => {});
  }
}

/**
 * Lists dead letters.
 *
 * @param options `stage` filters; `limit` stops after that many
 */
export async function listDeadLetters(
  config: VigilConfig,
  options: { stage?: string; limit?: number; topic?: string } = {},
): Promise<DeadLetterEntry[]> {
  const out: DeadLetterEntry[] = [];
  const limit = options.limit ?? Infinity;
  await readToEnd(config, options.topic ?? dlqTopic(config.kafka.topic), undefined, (entries) => {
    for (const e of entries) {
      if (options.stage !== undefined && e.letter?.stage !== options.stage) continue;
      out.push(e);
      if (out.length >= limit) return Promise.resolve(false);
    }
    return Promise.resolve(true);
  });
  return out;
}

/**
 * Re-drives dead letters to their original topic (or `to`).
 *
 * @returns how many were sent, and how many were skipped (other stage, undecodable, truncated)
 */
export async function redriveDeadLetters(
  config: VigilConfig,
  options: { stage?: string; to?: string; dryRun?: boolean; topic?: string; groupId?: string } = {},
): Promise<{ sent: number; skipped: number }> {
  const producer = createKafkaProducer(config, {
    clientId: `${config.kafka.clientId}-dlq-redrive`,
    serializers: { ...stringSerializers, value: (v?: unknown) => v } as unknown as typeof stringSerializers,
  });
  const result = { sent: 0, skipped: 0 };
  const groupId = options.groupId ?? `${config.kafka.groupId}-dlq-redrive`;
  try {
    await readToEnd(
      config,
      options.topic ?? dlqTopic(config.kafka.topic),
      groupId,
      async (entries, commit) => {
        const messages = entries.flatMap((e) => {
          const l = e.letter;
          if (
            l === undefined || (options.stage !== undefined && l.stage !== options.stage) || l.truncated
          ) {
            result.skipped++;
            return [];
          }
          return [{
            topic: options.to ?? l.kafka?.topic ?? config.kafka.topic,
            key: l.key === undefined ? undefined : new TextDecoder().decode(l.key),
            value: l.original as unknown as string,
            headers: { "vigil-redriven-from": `${e.partition}-${e.offset}` },
          }];
        });
        if (options.dryRun) {
          result.sent += messages.length;
          return true;
        }
        if (messages.length > 0) await producer.send({ messages });
        result.sent += messages.length;
        await commit();
        return true;
      },
    );
  } finally {
    await producer.close();
  }
  return result;
}

function preview(bytes: Uint8Array): string {
  // Control characters would garble the terminal (or inject escape sequences): show them as dots.
  // deno-lint-ignore no-control-regex
  const text = new TextDecoder().decode(bytes.subarray(0, 200)).replace(/[\u0000-\u001f\u007f]/g, "·");
  return bytes.length > 200 ? `${text}…` : text;
}

/** `deno task dlq --help`. */
export const DLQ_HELP = `Usage: deno task dlq [list|redrive] [options]

Dead letters are the events a stage could not handle (unparseable bytes, a document the hot tier refused...),
kept with their original bytes in <kafka.topic>.dlq.

Subcommands:
  list                   print the dead letters, oldest first (the default)
  redrive                send each dead letter's original bytes (and key) back to its topic, so it goes through
                         the pipeline again, e.g. after fixing a mapping; once per dead letter across runs (own
                         consumer group <kafka.groupId>-dlq-redrive); letters cut to
                         delivery.deadLetterMaxBytes (truncated) are skipped: their bytes are incomplete

Options:
  --stage S              only dead letters of stage S: ${DEAD_LETTER_STAGES.join(", ")}
  --limit N              list: stop after N dead letters
  --to TOPIC             redrive: send to TOPIC instead of each letter's original topic
  --dry-run              redrive: count what would be sent, send nothing, commit nothing
  -h, --help             this help

Examples:
  deno task dlq list --limit 20
  deno task dlq list --stage hot_sink
  deno task dlq redrive --stage hot_sink --dry-run
  deno task dlq redrive --to vigil.events
`;

/** A parsed `dlq` command line. */
export interface DlqArgs {
  command: "list" | "redrive";
  stage?: string;
  limit?: number;
  to?: string;
  dryRun: boolean;
}

/** Parses `dlq` arguments. @throws {UsageError} on an unknown option or subcommand, or a bad value */
export function parseDlqArgs(args: readonly string[]): DlqArgs {
  const { positionals, values } = parseCliArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      stage: { type: "string" },
      limit: { type: "string" },
      to: { type: "string" },
      "dry-run": { type: "boolean", default: false },
    },
  });
  const command = positionals[0] ?? "list";
  if (command !== "list" && command !== "redrive") {
    throw new UsageError(`Unknown subcommand ${JSON.stringify(command)}: expected list or redrive`);
  }
  if (positionals.length > 1) {
    throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[1])} after ${command}`);
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
    throw new UsageError(`--limit must be a positive integer: current value is ${values.limit}`);
  }
  return { command, stage: values.stage, limit, to: values.to, dryRun: values["dry-run"] ?? false };
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = handleArgs("dlq", DLQ_HELP, args, parseDlqArgs);
  if ("exit" in parsed) return parsed.exit;
  const { command, stage, limit, to, dryRun } = parsed.args;
  let secrets: string[] = [];
  try {
    const config = await loadConfig();
    secrets = secretsOf(config);
    if (command === "list") {
      const entries = await listDeadLetters(config, { stage, limit });
      for (const e of entries) {
        const l = e.letter;
        if (l === undefined) {
          console.log(`#${e.partition}-${e.offset}  (undecodable: ${e.error})`);
          continue;
        }
        const from = l.kafka ? `${l.kafka.topic}-${l.kafka.partition}-${l.kafka.offset}` : "-";
        const cut = l.truncated
          ? ` (truncated: first ${l.original.length} of ${l.originalBytes ?? "?"} bytes)`
          : "";
        console.log(
          `#${e.partition}-${e.offset}  ${l.ts}  ${l.stage}  ${from}\n  reason: ${l.reason}\n  original${cut}: ${
            preview(l.original)
          }`,
        );
      }
      console.log(`${entries.length} dead letter(s) in ${dlqTopic(config.kafka.topic)}`);
    } else {
      const r = await redriveDeadLetters(config, { stage, to, dryRun });
      console.log(`${dryRun ? "would re-drive" : "re-drove"} ${r.sent} dead letter(s); skipped ${r.skipped}`);
    }
    return 0;
  } catch (err) {
    console.error(`dlq: ${redactError(err, secrets)}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
