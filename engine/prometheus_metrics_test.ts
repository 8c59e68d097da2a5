import assert from "node:assert/strict";
import client from "prom-client";
import { ActorSystem } from "./actor_system.ts";
import { silentLogger } from "./logger.ts";
import { prometheusText, registerEngineMetrics } from "./prometheus_metrics.ts";
import { countEvictions, evictionCount } from "./eviction_tally.ts";

Deno.test("prometheusText exposes per-actor counters, gauges and the processing histogram", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const ref = system.spawn<number>({
    name: "parser",
    mailbox: { capacity: 8, whenFull: "drop_newest" },
    create: (ctx) => ({ receive: () => ctx.metrics.count("templates_created") }),
  });
  for (let i = 0; i < 20; i++) ref.trySend(i);
  await system.drain(ref);
  const text = await prometheusText(system.snapshot());
  const lines = text.split("\n");
  const has = (line: string) => assert.ok(lines.includes(line), `missing: ${line}\n${text}`);
  has(`vigil_actor_state{actor="/parser",state="stopped"} 1`);
  has(`vigil_actor_mailbox_capacity{actor="/parser"} 8`);
  has(`vigil_actor_messages_in_total{actor="/parser"} 8`);
  has(`vigil_actor_messages_out_total{actor="/parser"} 8`);
  has(`vigil_actor_messages_dropped_total{actor="/parser"} 12`);
  has(`vigil_actor_custom_total{actor="/parser",name="templates_created"} 8`);
  has(`vigil_actor_processing_seconds_count{actor="/parser"} 8`);
  has(`vigil_actor_processing_seconds_bucket{actor="/parser",le="+Inf"} 8`);
  has("# TYPE vigil_actor_processing_seconds histogram");
  has("vigil_dead_letters_total 0");
});

Deno.test("registerEngineMetrics sits beside other metrics in one registry", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const registry = new client.Registry();
  new client.Counter({ name: "web_requests_total", help: "requests", registers: [registry] }).inc();
  registerEngineMetrics(registry, () => system.snapshot(), "eng");
  const text = await registry.metrics();
  assert.match(text, /web_requests_total 1/);
  assert.match(text, /eng_dead_letters_total 0/);
});

Deno.test("prometheusText serves the eviction tally of bounded maps, one series per map", async () => {
  const system = new ActorSystem({ logger: silentLogger });
  const before = evictionCount("prometheus_test_map");
  countEvictions("prometheus_test_map", 4);
  const text = await prometheusText(system.snapshot());
  assert.ok(
    text.split("\n").includes(`vigil_evictions_total{map="prometheus_test_map"} ${before + 4}`),
    text,
  );
  assert.match(text, /# TYPE vigil_evictions_total counter/);
});
