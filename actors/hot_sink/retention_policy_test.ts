import assert from "node:assert/strict";
import { indexTemplates } from "./index_templates.ts";
import { ilmPolicy, isExpired, ismPolicy, retentionAge, retentionIndexSettings } from "./retention_policy.ts";

const DAY = 86_400_000;

Deno.test("ismPolicy: hot → delete after the retention, attached to <prefix>-events-* only", () => {
  const { policy } = ismPolicy("vigil", 7) as {
    policy: {
      default_state: string;
      states: {
        name: string;
        actions: unknown[];
        transitions: { conditions: { min_index_age: string } }[];
      }[];
      ism_template: { index_patterns: string[] }[];
    };
  };
  assert.equal(policy.default_state, "hot");
  assert.equal(policy.states[0].transitions[0].conditions.min_index_age, `${7 * DAY}ms`);
  assert.deepEqual(policy.states[1].actions, [{ delete: {} }]);
  assert.deepEqual(policy.ism_template[0].index_patterns, ["vigil-events-*"]);
});

Deno.test("ilmPolicy and the events template: Elasticsearch attaches by index.lifecycle.name", () => {
  const phases = (ilmPolicy(30) as { policy: { phases: { delete: { min_age: string } } } }).policy.phases;
  assert.equal(phases.delete.min_age, `${30 * DAY}ms`);
  const settings = (t: ReturnType<typeof indexTemplates>[number]) =>
    (t.body.template as { settings: Record<string, unknown> }).settings;
  assert.equal(
    settings(indexTemplates("v", "elasticsearch", 30)[0])["index.lifecycle.name"],
    "v-events-retention",
  );
  assert.equal(settings(indexTemplates("v", "opensearch", 30)[0])["index.lifecycle.name"], undefined);
  assert.deepEqual(retentionIndexSettings("v", "elasticsearch", 0), {}, "0 days: no policy");
  assert.equal(settings(indexTemplates("v", "elasticsearch", 30)[1])["index.lifecycle.name"], undefined);
});

Deno.test("retentionAge: fractional days in ms; zero or invalid days are refused", () => {
  assert.equal(retentionAge(1 / 86_400), "1000ms");
  assert.throws(() => retentionAge(0), RangeError);
  assert.throws(() => retentionAge(Number.NaN), RangeError);
});

Deno.test("isExpired: from the creation time, never with 0 days", () => {
  assert.equal(isExpired(0, 7, 7 * DAY - 1), false);
  assert.equal(isExpired(0, 7, 7 * DAY), true);
  assert.equal(isExpired(0, 0, 1e15), false);
});
