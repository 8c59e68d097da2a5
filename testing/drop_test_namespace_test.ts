/**
 * Test namespaces against the real stack: dropped whole (indices, templates, objects) also when the body
 * threw, stale ones swept while fresh ones stay, the product's namespace refused and left unchanged.
 */
import assert from "node:assert/strict";
import { ColdSink } from "../actors/cold_sink/sink.ts";
import { HotSink } from "../actors/hot_sink/sink.ts";
import type { DeliveryRecord } from "../actors/delivery_record.ts";
import { parseConfig } from "../lib/config/vigil_config.ts";
import {
  deleteObjectsUnder,
  dropTestIndices,
  dropTestNamespace,
  ensureTestBucket,
  testStackEndpoints,
  withTestNamespace,
} from "./drop_test_namespace.ts";
import { productNamespaceChanges, productNamespaceSnapshot } from "./product_namespace_check.ts";
import { sweepStaleTestNamespaces } from "./sweep_test_namespaces.ts";
import { type TestNamespace, testNamespace } from "./test_namespace.ts";

const stack = testStackEndpoints();
const HOT = stack.hot.url;

async function indicesOf(prefix: string): Promise<string[]> {
  const res = await fetch(`${HOT}/_cat/indices/${prefix}-*?format=json&h=index&expand_wildcards=all`);
  return ((await res.json()) as { index: string }[]).map((r) => r.index).sort();
}

async function templatesOf(prefix: string): Promise<string[]> {
  const res = await fetch(`${HOT}/_index_template/${prefix}-*`);
  if (!res.ok) {
    await res.body?.cancel();
    return [];
  }
  return ((await res.json()) as { index_templates: { name: string }[] }).index_templates.map((t) => t.name);
}

async function objectsOf(ns: TestNamespace): Promise<string[]> {
  const sink = new ColdSink({ ...stack.s3, bucket: ns.bucket, prefix: ns.s3Prefix });
  try {
    return await sink.service.list(ns.s3Prefix);
  } finally {
    await sink.close(10);
  }
}

/** Event `n` of 2016-09-28 at offset `n`. */
function record(n: number): DeliveryRecord {
  const ts = new Date(Date.UTC(2016, 8, 28, 4, 30, n)).toISOString();
  const content = `Loaded Servicing Stack v6.1.7601.${n} with Core`;
  return {
    event: {
      v: 1,
      id: `ns:${n}`,
      ts,
      ingestTs: ts,
      host: "ns-host",
      source: "namespace-test",
      system: "windows",
      level: "info",
      component: "CBS",
      content,
      fields: {},
      lineNo: n + 1,
      raw: content,
      flags: [],
      templateId: "t-ns",
      template: "Loaded Servicing Stack <*> with Core",
      params: [`v6.1.7601.${n}`],
      classification: "NORMAL",
      score: 0.01,
      reasons: [],
      modelVersion: "test-1",
    },
    kafka: { topic: "vigil.namespace-test", partition: 0, offset: String(n) },
  };
}

/** Writes 10 events of 2016-09-28 into both tiers of the namespace. */
async function fill(ns: TestNamespace): Promise<void> {
  const records = Array.from({ length: 10 }, (_, i) => record(i));
  const hot = new HotSink({
    url: HOT,
    indexPrefix: ns.indexPrefix,
    deadLetters: { write: () => Promise.resolve() },
  });
  await hot.start();
  await hot.write(records);
  await hot.close();
  const cold = new ColdSink({ ...stack.s3, bucket: ns.bucket, prefix: ns.s3Prefix });
  await cold.write(records);
  await cold.close();
}

Deno.test({
  name: "withTestNamespace removes indices, templates and objects — also when the body threw",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const before = await productNamespaceSnapshot(parseConfig({}, Deno.env.toObject()));
    let seen: TestNamespace | undefined;
    await assert.rejects(
      withTestNamespace("dropcheck", async (ns) => {
        seen = ns;
        await fill(ns);
        assert.ok((await indicesOf(ns.indexPrefix)).length > 0);
        assert.ok((await templatesOf(ns.indexPrefix)).length > 0);
        assert.ok((await objectsOf(ns)).length > 0);
        throw new Error("the test failed");
      }),
      /the test failed/,
    );
    assert.deepEqual(await indicesOf(seen!.indexPrefix), []);
    assert.deepEqual(await templatesOf(seen!.indexPrefix), []);
    assert.deepEqual(await objectsOf(seen!), []);
    // What the test wrote went nowhere near the product's namespace.
    const after = await productNamespaceSnapshot(parseConfig({}, Deno.env.toObject()));
    const mine = productNamespaceChanges(before, after).filter((c) => c.includes("2016.09.28"));
    assert.deepEqual(mine, []);
  },
});

Deno.test({
  name: "the product's namespace is refused: no drop of vigil-* or of the vigil bucket",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await assert.rejects(dropTestIndices(HOT, "vigil"), /is not a test namespace's/);
    await assert.rejects(dropTestIndices(HOT, "vigiltest-*"), /is not a test namespace's/);
    await assert.rejects(
      dropTestNamespace({ indexPrefix: "vigiltest-x", bucket: "vigil", s3Prefix: "events/" }, stack),
      /vigil\/events\/ is not a test namespace's/,
    );
    await assert.rejects(deleteObjectsUnder(stack.s3, "vigil-test", ""), /prefix must not be empty/);
  },
});

Deno.test({
  name: "the sweep removes namespaces older than its cutoff and keeps fresh ones",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const now = Date.now();
    // Named as if created 5 hours ago (the name's date decides for indices and templates).
    const old = testNamespace("sweepold", "test", now - 5 * 3600_000);
    const fresh = testNamespace("sweepfresh");
    try {
      await ensureTestBucket(stack.s3);
      await fill(old);
      await fill(fresh);
      // Objects carry S3's own modification time (now): the sweep is asked to look as if 4 hours had passed.
      const report = await sweepStaleTestNamespaces({ olderThanMs: 3 * 3600_000, now, stack });
      assert.ok(report.indices.some((i) => i.startsWith(old.indexPrefix)), JSON.stringify(report));
      assert.ok(!report.indices.some((i) => i.startsWith(fresh.indexPrefix)));
      assert.deepEqual(await indicesOf(old.indexPrefix), []);
      assert.deepEqual(await templatesOf(old.indexPrefix), []);
      assert.ok((await indicesOf(fresh.indexPrefix)).length > 0, "a fresh namespace stays");
      assert.ok((await objectsOf(fresh)).length > 0, "fresh objects stay");
    } finally {
      await dropTestNamespace(old, stack);
      await dropTestNamespace(fresh, stack);
    }
  },
});
