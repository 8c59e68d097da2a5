import assert from "node:assert/strict";
import {
  isTestIndexName,
  namespaceCreatedAt,
  namespaceEnv,
  namespaceSettings,
  TEST_BUCKET,
  testNamespace,
} from "./test_namespace.ts";
import { parseConfig } from "../lib/config/vigil_config.ts";

Deno.test("testNamespace: dated, labelled names outside the product's vigil-* and vigil bucket", () => {
  const now = Date.UTC(2026, 11, 3, 17, 0, 0);
  const ns = testNamespace("e2e", "test", now);
  assert.match(ns.indexPrefix, /^vigiltest-[0-9a-z]{8}-e2e-[0-9a-f]{4}$/);
  assert.match(ns.s3Prefix, /^test-[0-9a-z]{8}-e2e-[0-9a-f]{4}\/$/);
  assert.equal(ns.bucket, TEST_BUCKET);
  assert.notEqual(ns.bucket, parseConfig({}).s3.bucket, "never the product's bucket");
  assert.ok(!`${ns.indexPrefix}-events-2026.12.03`.startsWith(`${parseConfig({}).hot.indexPrefix}-`));
  assert.equal(namespaceCreatedAt(ns.indexPrefix), now);
  assert.equal(namespaceCreatedAt(ns.s3Prefix), now);
  assert.equal(namespaceCreatedAt(`${ns.indexPrefix}-events-2026.12.03`), now);
  const bench = testNamespace("raw", "bench", now);
  assert.match(bench.indexPrefix, /^vigilbench-/);
  assert.match(bench.s3Prefix, /^bench-/);
  assert.notEqual(testNamespace("e2e").tag, testNamespace("e2e").tag);
});

Deno.test("testNamespace: settings and environment carry the whole namespace; bad labels are refused", () => {
  const ns = testNamespace("x");
  const config = parseConfig(namespaceSettings(ns), {});
  assert.deepEqual([config.hot.indexPrefix, config.s3.bucket, config.s3.prefix], [
    ns.indexPrefix,
    ns.bucket,
    ns.s3Prefix,
  ]);
  const fromEnv = parseConfig({}, namespaceEnv(ns));
  assert.deepEqual([fromEnv.hot.indexPrefix, fromEnv.s3.bucket, fromEnv.s3.prefix], [
    ns.indexPrefix,
    ns.bucket,
    ns.s3Prefix,
  ]);
  assert.throws(() => testNamespace("Bad Label"), /label must be lowercase letters, digits and dashes/);
  assert.throws(() => testNamespace(""), RangeError);
});

Deno.test("namespace names: test roots recognised; undated and product names carry no date", () => {
  assert.ok(isTestIndexName("vigiltest-abc"));
  assert.ok(isTestIndexName("vigilbench-abc"));
  assert.ok(!isTestIndexName("vigil-events-2026.12.03"));
  assert.equal(namespaceCreatedAt("vigiltest-1a2b3c4d"), undefined, "an old random tag is no date");
  assert.equal(namespaceCreatedAt("vigiltestab12cd34-events-2026.12.03"), undefined);
  assert.equal(namespaceCreatedAt("vigil-events-2026.12.03"), undefined);
  assert.equal(namespaceCreatedAt("test-65254a40/events/x.parquet"), undefined);
});
