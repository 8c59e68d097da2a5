import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { createKafkaAdmin, createKafkaConsumer } from "../../lib/kafka/kafka_client.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { runProduceCli } from "./run_produce_cli.ts";
import { until } from "../../testing/until.ts";

const config = parseConfig({}, Deno.env.toObject());
const ROOT = new URL("../..", import.meta.url).pathname;

/** Messages on a topic (the sum of its partitions' end offsets); 0 while it does not exist yet. */
async function messagesOn(topic: string): Promise<number> {
  const consumer = createKafkaConsumer(config, { groupId: `test-${crypto.randomUUID()}` });
  try {
    const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    return Number(ends.reduce((a, b) => a + b, 0n));
  } catch {
    return 0;
  } finally {
    await consumer.close();
  }
}

Deno.test({
  name: "Ctrl-C stops an endless synthetic run cleanly: exit 130, everything read is on Kafka and reported",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const topic = uniqueTopic("interrupt");
    const admin = createKafkaAdmin(config);
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "cli/produce.ts", "--synthetic", "windows", "--rate", "300", "--topic", topic],
        cwd: ROOT,
        stdout: "null",
        stderr: "piped",
        stdin: "null",
      }).spawn();
      // Interrupt once events flow: more than 100 of them are on the topic.
      await until(async () => await messagesOn(topic) > 100, {
        what: "100 events on the topic",
        deadlineMs: 60_000,
        pollMs: 500,
      });
      child.kill("SIGINT");
      const out = await child.output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 130, stderr);
      const m = /interrupted: ([\d,]+) events read, ([\d,]+) delivered to kafka:\S+, 0 failed/.exec(stderr);
      assert.ok(m, stderr);
      const read = Number(m[1].replaceAll(",", ""));
      const delivered = Number(m[2].replaceAll(",", ""));
      assert.equal(delivered, read);
      assert.ok(read > 100, `only ${read} events read, though more than 100 were on the topic`);
      const messages = await consumeTopic(config, topic, delivered);
      assert.equal(messages.length, delivered);
    } finally {
      await admin.deleteTopics([topic]);
      await admin.close();
    }
  },
});

Deno.test({
  name: "Kafka unreachable: a clear error and exit code 1, no hang",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { code, stderr } = await runProduceCli(
      ["--synthetic", "windows", "--max-events", "10", "--topic", uniqueTopic("down")],
      { VIGIL_KAFKA_BROKERS: "127.0.0.1:1" },
    );
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^produce: Cannot ensure topic \S+ on Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/m);
  },
});

Deno.test({
  name: "bad options are rejected with a message naming the option",
  fn: async () => {
    const cases: [string[], RegExp][] = [
      [["--input", "/x", "--stdin", "--format", "windows"], /exactly one of --input, --stdin, --synthetic/],
      [["--input", "/x"], /--format is required/],
      [["--synthetic", "linux"], /unknown source "linux"/],
      [["--synthetic", "windows", "--rate", "fast"], /--rate must be a number: current value is "fast"/],
      [["--synthetic", "windows", "--anomalies", "meteor"], /unknown kind "meteor"/],
      [
        ["--input", "/nonexistent.log", "--format", "windows", "--topic", uniqueTopic("bad")],
        /Cannot open input \/nonexistent.log/,
      ],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runProduceCli(args);
      assert.equal(code, 1, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
    }
    // An unknown option is a usage error, like every task's (exit 2, pointing at --help).
    const { code, stderr } = await runProduceCli(["--bogus"]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /Unknown option '--bogus'[\s\S]*deno task produce --help/);
  },
});
