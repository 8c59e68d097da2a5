/**
 * A line that is one huge token (a base64 blob, a run of one character) against the real OpenSearch: the
 * document is stored, not rejected as an "immense term" and dead-lettered, and its parts stay searchable.
 */
import assert from "node:assert/strict";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import { PARTS_MAX_TERM_CHARS } from "../../actors/hot_sink/index_templates.ts";
import { CollectingDeadLetters, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import { count, os } from "./opensearch_http.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";

Deno.test("HotSink: a 900 KB single-token line is stored (content.parts terms are cut), not dead-lettered", () =>
  withTestNamespace("longtoken", async (ns) => {
    const prefix = ns.indexPrefix;
    const dlq = new CollectingDeadLetters();
    const sink = new HotSink({ indexPrefix: prefix, deadLetters: dlq });
    try {
      await sink.start();
      const blob = "x".repeat(900_000);
      const content = `upload failed payload=${blob} host=ns.marryaldkfaczcz.com`;
      const acks = await sink.write([deliveryRecord(1, { event: { content, raw: content } })]);
      assert.deepEqual(acks.map((a) => [a.outcome, a.reason]), [["delivered", undefined]]);
      assert.equal(dlq.records.length, 0);
      assert.equal(await count(`${prefix}-events-*`), 1);
      const hit = async (query: unknown) =>
        ((await os("POST", `/${prefix}-events-*/_count`, { query })).count) as number;
      assert.equal(await hit({ match: { "content.parts": "marryaldkfaczcz" } }), 1, "parts stay words");
      assert.equal(
        await hit({ match: { "content.parts": "x".repeat(PARTS_MAX_TERM_CHARS) } }),
        1,
        "the cut term",
      );
    } finally {
      await sink.close(5_000);
    }
  }));
