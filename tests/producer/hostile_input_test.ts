import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { type LogEvent, LogEventSchema } from "../../lib/event/log_event.ts";
import { createKafkaAdmin } from "../../lib/kafka/kafka_client.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { consumeTopic, uniqueTopic } from "../../testing/consume_topic.ts";
import { runProduceCli } from "./run_produce_cli.ts";

const config = parseConfig({}, Deno.env.toObject());
const enc = new TextEncoder();
const H = "2016-09-28 04:30:31, Info                  CBS    ";

/** The hostile file, line by line (bytes), and what each line must become. */
function hostileFile(): Uint8Array {
  const parts: Uint8Array[] = [
    enc.encode(`${H}Plain line one\n`),
    enc.encode(`${H}Windows line ending\r\n`),
    enc.encode(`\n`), // blank: skipped and counted
    enc.encode(`${H}${"A".repeat(200_000)}\n`), // huge: cut at 65536 bytes
    new Uint8Array([...enc.encode(`${H}bin`), 0x00, 0x01, 0x07, ...enc.encode("data\n")]), // NUL and controls
    new Uint8Array([...enc.encode(`${H}bad utf8 `), 0xff, 0xfe, 0xc3, ...enc.encode(" end\n")]), // invalid UTF-8
    enc.encode(`%%% this is not a Windows log line\n`), // does not match the format
    enc.encode(`    at Foo.bar(Foo.java:42)\n`), // indented continuation of the line before
    enc.encode(`${H}<script>alert("x")</script> & <b>html</b>\n`),
    enc.encode(`${H}last line without newline`),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function checkEvents(events: LogEvent[]): void {
  const byLine = new Map(events.map((e) => [e.lineNo, e]));
  assert.deepEqual([...byLine.keys()].sort((a, b) => a - b), [1, 2, 4, 5, 6, 7, 9, 10]);
  assert.equal(byLine.get(1)!.content, "Plain line one");
  assert.deepEqual(byLine.get(1)!.flags, []);
  assert.equal(byLine.get(2)!.content, "Windows line ending");
  assert.ok(!byLine.get(2)!.raw.includes("\r"));
  const huge = byLine.get(4)!;
  assert.ok(huge.flags.includes("truncated"));
  assert.equal(enc.encode(huge.raw).length, 65_536);
  const bin = byLine.get(5)!;
  assert.ok(bin.flags.includes("binary"));
  assert.equal(bin.content, "bin\uFFFD\uFFFD\uFFFDdata");
  const bad = byLine.get(6)!;
  assert.ok(bad.flags.includes("invalid_utf8"));
  assert.ok(bad.content.startsWith("bad utf8 \uFFFD"));
  const garbage = byLine.get(7)!;
  assert.ok(garbage.flags.includes("parse_error") && garbage.flags.includes("multiline"));
  assert.ok(garbage.parseError !== undefined);
  assert.equal(garbage.raw, "%%% this is not a Windows log line\n    at Foo.bar(Foo.java:42)");
  assert.equal(byLine.get(9)!.content, `<script>alert("x")</script> & <b>html</b>`);
  assert.equal(byLine.get(10)!.content, "last line without newline");
}

Deno.test({
  name: "hostile input end to end: every line accounted for, repairs flagged, nothing dropped",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const topic = uniqueTopic("hostile");
    const gzTopic = uniqueTopic("hostile-gz");
    const admin = createKafkaAdmin(config);
    try {
      const bytes = hostileFile();
      await Deno.writeFile(`${dir}/hostile.log`, bytes);
      const { code, stderr } = await runProduceCli([
        "--input",
        `${dir}/hostile.log`,
        "--format",
        "windows",
        "--topic",
        topic,
      ]);
      assert.equal(code, 0, stderr);
      assert.match(stderr, /8 events read, 8 delivered/);
      assert.match(stderr, /10 lines: 1 continuation lines attached, 1 blank lines skipped/);
      assert.match(stderr, /parse errors 1/);
      const events = (await consumeTopic(config, topic, 8)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      assert.equal(events.length, 8);
      checkEvents(events);

      // The same bytes gzip-compressed give the same events (in-process run of the same code path).
      const gz = new Uint8Array(
        await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")))
          .arrayBuffer(),
      );
      await Deno.writeFile(`${dir}/hostile.log.gz`, gz);
      const summary = await runProducer(config, {
        input: `${dir}/hostile.log.gz`,
        format: "windows",
        topic: gzTopic,
      });
      assert.deepEqual(
        [
          summary.events,
          summary.acked,
          summary.failed,
          summary.lines,
          summary.emptyLines,
          summary.continuationLines,
        ],
        [8, 8, 0, 10, 1, 1],
      );
      assert.equal(summary.bytesIn, bytes.length);
      assert.deepEqual(summary.flags, {
        truncated: 1,
        binary: 1,
        invalid_utf8: 1,
        parse_error: 1,
        ts_from_ingest: 1,
        multiline: 1,
        level_inferred: 1, // the line that did not parse has no level field
      });
      const gzEvents = (await consumeTopic(config, gzTopic, 8)).map((m) =>
        LogEventSchema.parse(JSON.parse(m.value))
      );
      checkEvents(gzEvents);
    } finally {
      await admin.deleteTopics([topic, gzTopic]);
      await admin.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
