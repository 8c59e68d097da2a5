/**
 * Hot-tier retention against the real OpenSearch: `HotSink.start()` installs retention with the index
 * templates, and an event index older than `retentionDays` (from its creation) is deleted while a younger one,
 * the template registry and the incidents index stay.
 *
 * The local stack's OpenSearch runs the core modules only (no Index State Management plugin): the sink then
 * enforces the same rule itself (mode `sweep`). On a cluster with ISM the test checks the installed,
 * attached policy and waits for ISM itself to delete the index, its job interval shortened to one minute
 * for the test and restored afterwards.
 */
import assert from "node:assert/strict";
import { HotRetention } from "../../actors/hot_sink/hot_retention.ts";
import { retentionPolicyName } from "../../actors/hot_sink/retention_policy.ts";
import { createHotService } from "../../actors/hot_sink/service.ts";
import { resolveHotSinkConfig } from "../../actors/hot_sink/config.ts";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import { CollectingDeadLetters } from "../../testing/delivery_fixtures.ts";
import { withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { until } from "../../testing/until.ts";
import { os } from "./opensearch_http.ts";

async function exists(index: string): Promise<boolean> {
  const res = await fetch(`${Deno.env.get("VIGIL_HOT_URL") ?? "http://127.0.0.1:9200"}/${index}`, {
    method: "HEAD",
  });
  await res.body?.cancel();
  return res.status === 200;
}

async function createdAt(index: string): Promise<number> {
  const s = await os("GET", `/${index}/_settings/index.creation_date`) as Record<
    string,
    { settings: { index: { creation_date: string } } }
  >;
  return Number(s[index].settings.index.creation_date);
}

async function clusterHasIsm(): Promise<boolean> {
  const res = await os("GET", "/_plugins/_ism/policies");
  return !/no handler found/i.test(JSON.stringify(res));
}

Deno.test("HotRetention.sweep: deletes an event index exactly when its creation is retentionDays old", () =>
  withTestNamespace("retsweep", async (ns) => {
    const prefix = ns.indexPrefix;
    const index = `${prefix}-events-2016.09.28`; // an old event date: age counts from creation, not the name
    await os("PUT", `/${index}`, {});
    await os("PUT", `/${prefix}-templates`, {});
    const created = await createdAt(index);
    const service = createHotService(resolveHotSinkConfig({ indexPrefix: prefix }));
    const DAY = 86_400_000;
    try {
      const at = (now: number) =>
        new HotRetention({ service, indexPrefix: prefix, kind: "opensearch", days: 7, now: () => now });
      assert.deepEqual(await at(created + 7 * DAY - 1).sweep(), [], "one ms before 7 days: kept");
      assert.equal(await exists(index), true);
      assert.deepEqual(
        await new HotRetention({ service, indexPrefix: prefix, kind: "opensearch", days: 0, now: () => 1e15 })
          .sweep(),
        [],
        "0 days keeps for ever",
      );
      assert.deepEqual(await at(created + 7 * DAY).sweep(), [index], "7 days after creation: deleted");
      assert.equal(await exists(index), false);
      assert.equal(await exists(`${prefix}-templates`), true, "only event indices are managed");
      assert.deepEqual(await at(created + 7 * DAY).sweep(), [], "nothing left to delete: idempotent");
    } finally {
      await service.close();
    }
  }));

Deno.test("HotSink.start: installs retention with the templates; an expired event index is deleted, a fresh one kept", () =>
  withTestNamespace("retstart", async (ns) => {
    const prefix = ns.indexPrefix;
    const expired = `${prefix}-events-2016.09.28`;
    const fresh = `${prefix}-events-2016.09.29`;
    const retentionDays = 2 / 86_400; // two seconds
    const ism = await clusterHasIsm();
    await os("PUT", `/${expired}`, {});
    const expiredCreated = await createdAt(expired);
    // Old enough before the fresh one exists, so one sweep separates them.
    await until(() => Date.now() - expiredCreated > 2_000, { what: "the first index to pass 2 s of age" });
    const sink = new HotSink({
      indexPrefix: prefix,
      deadLetters: new CollectingDeadLetters(),
      retentionDays,
    });
    let restoreInterval = false;
    try {
      if (ism) {
        await sink.start();
        assert.equal(sink.metrics.retention?.mode, "ism");
        const policy = await os("GET", `/_plugins/_ism/policies/${retentionPolicyName(prefix)}`);
        assert.ok(policy.policy, `policy installed: ${JSON.stringify(policy).slice(0, 300)}`);
        const explain = await os("GET", `/_plugins/_ism/explain/${expired}`);
        assert.equal(
          (explain[expired] as Record<string, unknown>)?.["index.plugins.index_state_management.policy_id"] ??
            (explain[expired] as Record<string, unknown>)?.["policy_id"],
          retentionPolicyName(prefix),
          "attached to the existing index",
        );
        await os("PUT", "/_cluster/settings", {
          persistent: { "plugins.index_state_management.job_interval": 1 },
        });
        restoreInterval = true;
        await until(async () => !(await exists(expired)), {
          what: "ISM to delete the expired index",
          deadlineMs: 6 * 60_000,
          pollMs: 2_000,
        });
      } else {
        await os("PUT", `/${fresh}`, {});
        await sink.start();
        assert.equal(sink.metrics.retention?.mode, "sweep", "no ISM plugin: the sink sweeps");
        assert.equal(await exists(expired), false, "expired index deleted at start");
        assert.equal(sink.metrics.retention?.swept, 1);
        assert.equal(await exists(`${prefix}-templates`), true);
        assert.equal(await exists(`${prefix}-incidents`), true);
        // The fresh one was created after the expired one passed 2 s, so it is younger: kept by that sweep,
        // deleted by a later one once it is 2 s old too.
        const freshCreated = await createdAt(fresh);
        if (Date.now() - freshCreated < 2_000) assert.equal(await exists(fresh), true, "younger index kept");
        await until(() => Date.now() - freshCreated > 2_000, { what: "the second index to pass 2 s of age" });
        assert.deepEqual(await sink.sweepExpired(), [fresh]);
      }
    } finally {
      if (restoreInterval) {
        await os("PUT", "/_cluster/settings", {
          persistent: { "plugins.index_state_management.job_interval": null },
        });
      }
      await sink.close(5_000);
    }
  }));
