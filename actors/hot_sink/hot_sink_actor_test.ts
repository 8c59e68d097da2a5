import assert from "node:assert/strict";
import { ActorMetrics } from "../../engine/actor_metrics.ts";
import type { ActorContext } from "../../engine/actor_context.ts";
import { CollectingDeadLetters, deliveryRecord } from "../../testing/delivery_fixtures.ts";
import type { DeliveryAck, DeliveryRecord } from "../delivery_record.ts";
import { hotSinkProps } from "./hot_sink_actor.ts";
import type { HotService } from "./service.ts";
import { HotSink } from "./sink.ts";
import { until } from "../../testing/until.ts";

/** A cluster whose bulk requests complete only when the test releases them (count and order observable). */
class GatedCluster implements HotService {
  pending: { release: () => void }[] = [];
  bulk(body: string) {
    // Action lines (event index operations and template upserts) alternate with their source lines.
    const actions = body.split("\n").filter((_, i) => i % 2 === 0).filter((l) => l.length > 0)
      .map((l) => Object.keys(JSON.parse(l))[0]);
    const { promise, resolve } = Promise.withResolvers<void>();
    this.pending.push({ release: resolve });
    return promise.then(() => ({
      statusCode: 200,
      body: { errors: false, items: actions.map((a) => ({ [a]: { status: a === "index" ? 201 : 200 } })) },
    }));
  }
  putIndexTemplate = () => Promise.resolve();
  createIndex = () => Promise.resolve();
  search = () => Promise.resolve([]);
  manage = () => Promise.resolve({});
  close = () => Promise.resolve();
}

function actorFor(concurrency: number) {
  const cluster = new GatedCluster();
  const sink = new HotSink({ indexPrefix: "t", deadLetters: new CollectingDeadLetters(), service: cluster });
  const acks: DeliveryAck[] = [];
  const props = hotSinkProps(sink, (a) => acks.push(...a), { concurrency });
  const actor = props.create({ metrics: new ActorMetrics() } as unknown as ActorContext<DeliveryRecord>);
  return { cluster, acks, actor };
}

/** Waits until the cluster holds `n` bulk requests. */
const inFlight = (cluster: GatedCluster, n: number) =>
  until(() => cluster.pending.length === n, { what: `${n} bulk requests in flight` });

Deno.test("hot sink actor: up to `concurrency` bulk requests in flight, acknowledged as each completes", async () => {
  const { cluster, acks, actor } = actorFor(2);
  await actor.preStart?.();
  // The first batch returns at once (one slot left); the second fills the window and waits.
  await actor.receiveBatch!([deliveryRecord(0), deliveryRecord(1)]);
  let secondReturned = false;
  const second = Promise.resolve(actor.receiveBatch!([deliveryRecord(2)])).then(() => secondReturned = true);
  await inFlight(cluster, 2);
  assert.equal(secondReturned, false, "the handler waits while the window is full");
  cluster.pending[1].release(); // the later request finishes first
  await second;
  assert.deepEqual(acks.map((a) => a.kafka.offset), ["2"]);
  // Stopping waits for the request still in flight: its acknowledgements arrive before postStop returns.
  const stopping = actor.postStop!();
  cluster.pending[0].release();
  await stopping;
  assert.deepEqual(acks.map((a) => a.kafka.offset).sort(), ["0", "1", "2"]);
});

Deno.test("hot sink actor: concurrency 1 keeps one request at a time; a bad concurrency is refused", async () => {
  const { cluster, acks, actor } = actorFor(1);
  const first = actor.receiveBatch!([deliveryRecord(0)]);
  await inFlight(cluster, 1);
  cluster.pending[0].release();
  await first;
  assert.equal(acks.length, 1, "acknowledged before the handler returned");
  await actor.postStop!();
  const sink = new HotSink({ indexPrefix: "t", deadLetters: new CollectingDeadLetters(), service: cluster });
  assert.throws(
    () => hotSinkProps(sink, () => {}, { concurrency: 0 }),
    /concurrency must be a positive integer/,
  );
});
