/**
 * Smoke test against the real local OpenSearch node: index, refresh and search a document.
 */
import assert from "node:assert/strict";
import { Client } from "@opensearch-project/opensearch";
import { loadConfig } from "../../lib/config/vigil_config.ts";
import { OPENSEARCH_MODULES } from "../../infra/opensearch_service.ts";
import { testNamespace } from "../../testing/test_namespace.ts";
import { withDeadline } from "./deadline.ts";

async function client(): Promise<{ os: Client; url: string }> {
  const { hot } = await loadConfig();
  const auth = hot.username ? { username: hot.username, password: hot.password ?? "" } : undefined;
  return { os: new Client({ node: hot.url, auth, requestTimeout: 10_000, maxRetries: 0 }), url: hot.url };
}

Deno.test("opensearch: a document is indexed, refreshed and found by a full-text search", async () => {
  const { os, url } = await client();
  // A test namespace's index, never one matching the product's `vigil-*`.
  const index = `${testNamespace("smoke").indexPrefix}-doc`;
  try {
    await withDeadline(
      (async () => {
        const info = await os.info();
        assert.equal(info.body.version.distribution, "opensearch");

        await os.indices.create({
          index,
          body: {
            mappings: {
              properties: {
                ts: { type: "date" },
                level: { type: "keyword" },
                content: { type: "text", fields: { keyword: { type: "keyword", ignore_above: 1024 } } },
                score: { type: "float" },
                fields: { type: "flat_object" },
              },
            },
          },
        });
        const doc = {
          ts: "2026-11-29T04:00:00.000Z",
          level: "ERROR",
          content: "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 <script>x</script>",
          score: 0.97,
          fields: { "odd.key": "v", nested: { a: "1" } },
        };
        const put = await os.index({ index, id: "topic-0-42", body: doc });
        assert.equal(put.body.result, "created");
        await os.indices.refresh({ index });

        const res = await os.search({
          index,
          body: {
            query: {
              bool: {
                must: [{ match: { content: "blk_-1608999687919862906" } }],
                filter: [{ term: { level: "ERROR" } }],
              },
            },
          },
        });
        const hits = res.body.hits.hits;
        assert.equal(hits.length, 1);
        assert.equal(hits[0]._id, "topic-0-42");
        assert.deepEqual(hits[0]._source, doc);

        // A single node holds no replicas: the stack sets replicas 0 by default, so the index is green.
        const health = await os.cluster.health({ index, wait_for_status: "green", timeout: "5s" });
        assert.equal(health.body.status, "green");
      })(),
      30_000,
      `Index/refresh/search on OpenSearch at ${url}`,
    );
  } finally {
    await os.indices.delete({ index }).catch(() => {});
    await os.close();
  }
});

Deno.test("opensearch: the modules the engine relies on are loaded and work", async () => {
  const { os, url } = await client();
  try {
    await withDeadline(
      (async () => {
        const plugins = await os.cat.plugins({ format: "json" });
        const loaded = (plugins.body as { component: string }[]).map((p) => p.component).sort();
        assert.deepEqual(loaded, [...OPENSEARCH_MODULES].sort());
        const painless = await os.transport.request({
          method: "POST",
          path: "/_scripts/painless/_execute",
          body: { script: { source: "params.a * 2", params: { a: 21 } } },
        });
        assert.equal((painless.body as { result: string }).result, "42");
        const analyzed = await os.indices.analyze({
          body: {
            tokenizer: "whitespace",
            filter: ["lowercase", "word_delimiter_graph"],
            text: "ERROR blk_42",
          },
        });
        assert.deepEqual(analyzed.body.tokens?.map((t) => t.token), ["error", "blk", "42"]);
      })(),
      20_000,
      `Module checks on OpenSearch at ${url}`,
    );
  } finally {
    await os.close();
  }
});
