/**
 * Operators' feedback shared by the engines of one consumer group through the hot tier (`<prefix>-feedback`,
 * `actors/feedback_sync.ts`), against the real OpenSearch of the local stack. Two engine-side detections (A and
 * B, each with its own FeedbackSync and client, as two engine processes have) share one test namespace:
 * a mute taken on A silences the template on B after B's merge, an undo on A lifts it on B, an expired mute
 * is not merged back, a malformed document is skipped and counted, and with the hot tier unreachable an
 * engine answers the action, keeps applying its local suppressions (and its own log holds them) and does not
 * stall.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../engine/logger.ts";
import { FeedbackSync } from "../../actors/feedback_sync.ts";
import { FeedbackStore } from "../../actors/hot_sink/feedback_store.ts";
import { resolveHotSinkConfig } from "../../actors/hot_sink/config.ts";
import { createHotService, type HotService } from "../../actors/hot_sink/service.ts";
import { IncidentDetection } from "../../lib/incidents/incident_detection.ts";
import { IncidentStateStore } from "../../lib/incidents/incident_state_store.ts";
import { steady, testInput } from "../../lib/incidents/test_inputs.ts";
import { testStackEndpoints, withTestNamespace } from "../../testing/drop_test_namespace.ts";
import { until } from "../../testing/until.ts";

/** One engine's side: its detection, its clock, its own hot-tier client and sync. */
interface Engine {
  detection: IncidentDetection;
  sync: FeedbackSync;
  service: HotService;
  clock: { now: number };
}

function engine(indexPrefix: string, url = testStackEndpoints().hot.url, store?: IncidentStateStore): Engine {
  const clock = { now: Date.now() };
  const service = createHotService(resolveHotSinkConfig({ url, indexPrefix }));
  const holder: { sync?: FeedbackSync } = {};
  const detection = new IncidentDetection({
    now: () => clock.now,
    onSuppressionsChanged: (book) => store?.saveSuppressions(book) ?? Promise.resolve(),
    onFeedback: (change) => holder.sync?.publish(change) ?? Promise.resolve(),
  });
  const sync = holder.sync = new FeedbackSync({
    store: new FeedbackStore(service, indexPrefix),
    detection,
    persist: () => store?.saveSuppressions(detection.book) ?? Promise.resolve(),
    logger: silentLogger,
    intervalMs: 200,
    publishTimeoutMs: 2_000,
    now: () => clock.now,
  });
  return { detection, sync, service, clock };
}

async function close(...engines: Engine[]): Promise<void> {
  for (const e of engines) {
    await e.sync.stop();
    await e.service.close();
  }
}

const T0 = Date.UTC(2026, 0, 1);

/** 30 min of ordinary traffic, so every detector is warm; returns the event time after it. */
function warm(d: IncidentDetection): number {
  for (const x of steady(T0, 1800, 5, { templates: ["a", "b", "c"] })) d.judge(x);
  return T0 + 1_800_000;
}

const fatal = (tsMs: number, templateId = "disk") =>
  testInput({ tsMs, templateId, level: "fatal", semantics: true, content: "disk failure on /dev/sdb" });

/** Whether `e`'s book now silences a fatal line of `templateId` (no event judged: nothing learnt). */
function silences(e: Engine, templateId = "disk"): boolean {
  const probe = {
    detector: "severity" as const,
    system: "sys",
    component: "comp",
    templateId,
    host: "host-a",
    level: "fatal" as const,
  };
  return e.detection.book.match(probe, e.clock.now) !== undefined;
}

Deno.test("shared feedback: a mute on A silences B after B's merge; an undo on A lifts it on B", async () => {
  await withTestNamespace("feedback", async (ns) => {
    const a = engine(ns.indexPrefix);
    const b = engine(ns.indexPrefix);
    try {
      await Promise.all([a.sync.start(), b.sync.start()]);
      const ta = warm(a.detection);
      const tb = warm(b.detection);
      const incident = a.detection.judge(fatal(ta)).incidentId!;
      assert.equal(
        b.detection.judge(fatal(tb)).classification,
        "CRITICAL_ANOMALY",
        "B pages before the mute",
      );

      const muted = await a.detection.act({ incidentId: incident, action: "mute", by: "ana" });
      assert.equal(muted?.status, "muted");
      assert.equal(a.sync.metrics.published, 1, "written before the action answered");
      assert.equal(a.sync.metrics.pending, 0);
      const ownOnB = b.detection.incidents().find((i) => i.templateId === "disk")!;
      await until(() => silences(b), { what: "B applying A's mute", deadlineMs: 15_000, pollMs: 50 });
      assert.equal(
        b.detection.incidents().find((i) => i.id === ownOnB.id)?.status,
        "muted",
        "B's own incident of the template shows muted, as A's does",
      );
      assert.equal(b.detection.judge(fatal(tb + 1000)).classification, "NORMAL", "B silences the template");
      const [onB] = b.detection.suppressions();
      assert.equal(onB.id, a.detection.suppressions()[0].id, "one suppression, one id on both engines");
      assert.equal(onB.createdBy, "ana");
      assert.equal(onB.silenced, 1, "B counts what it silenced");
      assert.equal(a.detection.suppressions()[0].silenced, 0, "counts stay per engine");
      assert.ok(b.sync.metrics.added >= 1);

      assert.equal(await a.detection.removeSuppression(onB.id, "ana"), true);
      await until(() => !silences(b), { what: "B lifting the undone mute", deadlineMs: 15_000, pollMs: 50 });
      assert.equal(b.detection.book.has(onB.id), false);
      assert.notEqual(b.detection.judge(fatal(tb + 2000)).classification, "NORMAL", "B pages again");
      // Merges keep running: the tombstone keeps the undone mute away, also from a stale re-publication.
      await b.sync.publish({ put: [onB], removed: [], confirmed: [] });
      const merges = b.sync.metrics.merges;
      await until(() => b.sync.metrics.merges >= merges + 2, { what: "two more merges on B", pollMs: 50 });
      assert.equal(silences(b), false, "a stale live copy did not resurrect the undone mute");
      assert.equal(silences(a), false);
    } finally {
      await close(a, b);
    }
  });
});

Deno.test("shared feedback: 'real problem' on A reaches B; an expired mute is not merged back", async () => {
  await withTestNamespace("feedback", async (ns) => {
    const a = engine(ns.indexPrefix);
    const b = engine(ns.indexPrefix);
    try {
      const ta = warm(a.detection);
      warm(b.detection);
      const incident = a.detection.judge(fatal(ta)).incidentId!;
      await a.detection.act({ incidentId: incident, action: "mute", expiresInMs: 60_000, by: "ana" });
      await a.detection.act({ incidentId: incident, action: "real_problem", by: "ana" });
      // B's clock is past the mute's expiry when it first merges.
      b.clock.now = a.clock.now + 61_000;
      await b.sync.start();
      await until(() => b.detection.confirmations().length === 1, {
        what: "B applying A's confirmation",
        deadlineMs: 15_000,
        pollMs: 50,
      });
      assert.deepEqual(
        b.detection.confirmations().map((c) => [c.system, c.templateId, c.by]),
        [["sys", "disk", "ana"]],
      );
      assert.equal(b.detection.book.size, 0, "the expired mute is not in B's book");
      // The read itself leaves expired suppressions out: the index keeps them, a read at A's time finds it.
      const store = new FeedbackStore(b.service, ns.indexPrefix);
      const kinds = async (atMs: number) => (await store.read(atMs)).docs.map((d) => d.kind).sort();
      assert.deepEqual(await kinds(b.clock.now), ["confirmation"]);
      assert.deepEqual(await kinds(a.clock.now), ["confirmation", "suppression"]);
      assert.equal(silences(b), false);
      // A's clock passes the expiry too: its anti-entropy does not publish an expired mute, and B stays clear.
      a.clock.now = b.clock.now;
      await a.sync.merge();
      await b.sync.merge();
      assert.equal(b.detection.book.size, 0);
    } finally {
      await close(a, b);
    }
  });
});

Deno.test("shared feedback: a malformed document in the index is skipped, counted, and the rest merges", async () => {
  await withTestNamespace("feedback", async (ns) => {
    const a = engine(ns.indexPrefix);
    const b = engine(ns.indexPrefix);
    try {
      await a.sync.start();
      const url = testStackEndpoints().hot.url;
      // Documents a read returns (kind and expiry in force) whose body is not valid feedback.
      const inForce = Date.now() + 3_600_000;
      const malformed = [
        { kind: "suppression", id: "bogus", updatedMs: 5, expiresMs: inForce },
        { kind: "suppression", id: "sup-x", updatedMs: 5, expiresMs: inForce, suppression: { id: "sup-x" } },
        { kind: "confirmation", id: "conf-x", updatedMs: 7, system: "sys" },
      ];
      for (const doc of malformed) {
        const res = await fetch(`${url}/${ns.indexPrefix}-feedback/_doc?refresh=true`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(doc),
        });
        assert.equal(res.status, 201, await res.text());
      }
      const ta = warm(a.detection);
      const incident = a.detection.judge(fatal(ta)).incidentId!;
      await a.detection.act({ incidentId: incident, action: "mute", by: "ana" });
      await b.sync.start();
      await until(() => silences(b), { what: "B applying A's mute", deadlineMs: 15_000, pollMs: 50 });
      assert.ok(b.sync.metrics.skipped >= 3, `skipped: ${b.sync.metrics.skipped}`);
      assert.equal(b.sync.metrics.mergeFailures, 0);
    } finally {
      await close(a, b);
    }
  });
});

Deno.test("shared feedback: hot tier unreachable → the action answers, local suppressions apply and persist", async () => {
  const dir = await Deno.makeTempDir({ prefix: "vigil-feedback-" });
  // Nothing listens on the discard port: connections are refused, as with a stopped cluster.
  const down = engine("vigiltest-unreachable", "http://127.0.0.1:9", new IncidentStateStore(dir));
  try {
    await down.sync.start();
    assert.equal(down.sync.metrics.mergeFailures, 1, "the first merge failed");
    const t = warm(down.detection);
    const incident = down.detection.judge(fatal(t)).incidentId!;
    const started = performance.now();
    const muted = await down.detection.act({ incidentId: incident, action: "mute", by: "ana" });
    const tookMs = performance.now() - started;
    assert.equal(muted?.status, "muted");
    assert.ok(tookMs < 2_000 + 1_000, `the action answered in ${Math.round(tookMs)} ms`);
    assert.equal(down.sync.metrics.pending, 1, "the change waits in the outbox");
    // Events go on being judged while merges fail.
    const failures = down.sync.metrics.mergeFailures;
    await until(() => down.sync.metrics.mergeFailures >= failures + 2, {
      what: "failing merges",
      pollMs: 50,
    });
    assert.equal(down.detection.judge(fatal(t + 1000)).classification, "NORMAL", "the local mute applies");
    assert.equal(down.detection.book.size, 1, "a failed merge removed nothing");
    // The engine's own log holds it: a restart without the hot tier still applies it.
    const restarted = new IncidentDetection();
    await new IncidentStateStore(dir).load(restarted);
    assert.deepEqual(
      restarted.suppressions().map((s) => s.id),
      down.detection.suppressions().map((s) => s.id),
    );
  } finally {
    await close(down);
    await Deno.remove(dir, { recursive: true });
  }
});
