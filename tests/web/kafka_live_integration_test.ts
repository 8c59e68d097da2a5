/**
 * The cross-process live path against the real local Kafka: two engines' publishers → live topic → a web
 * server's feed → its hub. Invalid messages on the topic are rejected, never fanned out.
 */
import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { createKafkaAdmin, createKafkaConsumer, createKafkaProducer } from "../../lib/kafka/kafka_client.ts";
import { startKafkaLiveFeed } from "../../lib/web/kafka_live_feed.ts";
import { KafkaLivePublisher } from "../../lib/web/kafka_live_publisher.ts";
import { LiveHub } from "../../lib/web/live_hub.ts";
import type { IdentifiedFrame, TickFrame } from "../../lib/web/live_frame.ts";

const tick = (t: number, total: number): TickFrame => ({
  type: "tick",
  t,
  total,
  byClassification: { NORMAL: total },
  byLevel: { info: total },
});

Deno.test({
  name: "Kafka live path: frames from two engines reach the web hub; junk is rejected",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const config = parseConfig({}, Deno.env.toObject());
    const topic = `vigiltest.live.${crypto.randomUUID().slice(0, 8)}`;
    const admin = createKafkaAdmin(config);
    await admin.ensureTopic(topic, 1);
    const producerA = createKafkaProducer(config, { clientId: "vigil-test-live-a" });
    const producerB = createKafkaProducer(config, { clientId: "vigil-test-live-b" });
    const consumer = createKafkaConsumer(config, { groupId: `vigil-web-test-${crypto.randomUUID()}` });
    const hub = new LiveHub();
    const sub = hub.subscribe({ capacity: 10_000 });
    const feed = await startKafkaLiveFeed({ consumer, topic, hub });
    const engineA = new KafkaLivePublisher({ producer: producerA, topic, key: "engine-a" });
    const engineB = new KafkaLivePublisher({ producer: producerB, topic, key: "engine-b" });
    try {
      // The feed starts at the topic's end once its partition is assigned: probe until a frame comes through.
      const deadline = Date.now() + 20_000;
      let first: IdentifiedFrame | undefined;
      while (!first && Date.now() < deadline) {
        engineA.publish(tick(1, 0));
        await engineA.flush();
        first = await sub.next(AbortSignal.timeout(500));
      }
      assert.ok(first, "no frame reached the hub within 20 s");
      while (await sub.next(AbortSignal.timeout(300))); // drain further probes

      const sentAt = performance.now();
      engineA.publish(tick(1000, 7));
      engineB.publish(tick(1000, 5));
      engineB.publish({
        type: "alert",
        eventId: "e-1",
        ts: "2026-11-29T04:00:00Z",
        host: "h",
        component: "c",
        level: "error",
        classification: "CRITICAL_ANOMALY",
        score: 0.99,
        reasons: ["unseen template"],
        content: "<script>alert(1)</script>",
        templateId: "t",
        template: "t",
        modelVersion: "m",
      });
      await producerA.send({
        messages: [
          { topic, value: "<script>not json" },
          {
            topic,
            value: JSON.stringify({ type: "tick", t: -1, total: 1, byClassification: {}, byLevel: {} }),
          },
        ],
      });
      await Promise.all([engineA.flush(), engineB.flush()]);
      const got: IdentifiedFrame[] = [];
      while (got.length < 3) {
        const f = await sub.next(AbortSignal.timeout(5000));
        assert.ok(f, `only ${got.length} of 3 frames arrived`);
        got.push(f);
      }
      const latencyMs = performance.now() - sentAt;
      const ticks = got.filter((f): f is IdentifiedFrame & TickFrame => f.type === "tick");
      assert.equal(ticks.reduce((s, f) => s + f.total, 0), 12, "ticks of both engines arrive");
      assert.equal(got.filter((f) => f.type === "alert").length, 1);
      // Junk: allow the rejected messages to be consumed, then nothing else may have been fanned out.
      const extra = await sub.next(AbortSignal.timeout(1000));
      assert.equal(extra, undefined);
      assert.equal(feed.rejected, 2);
      assert.equal(engineA.failed + engineB.failed + engineA.dropped + engineB.dropped, 0);
      console.log(`publish → hub for 3 frames: ${latencyMs.toFixed(0)} ms`);
    } finally {
      sub.close();
      await feed.close();
      await consumer.close(true);
      await producerA.close();
      await producerB.close();
      await admin.deleteTopics([topic]).catch(() => {});
      await admin.close();
    }
  },
});
