import assert from "node:assert/strict";
import { silentLogger } from "../engine/logger.ts";
import { IncidentDetection } from "../lib/incidents/incident_detection.ts";
import { FeedbackSync } from "./feedback_sync.ts";
import { FeedbackStore } from "./hot_sink/feedback_store.ts";
import { resolveHotSinkConfig } from "./hot_sink/config.ts";
import { createHotService } from "./hot_sink/service.ts";
import type { Suppression } from "../lib/incidents/suppression.ts";

/** A store whose cluster refuses connections (nothing listens on the discard port). */
function unreachable() {
  const service = createHotService(resolveHotSinkConfig({ url: "http://127.0.0.1:9", indexPrefix: "x" }));
  return { service, store: new FeedbackStore(service, "x") };
}

const mute = (n: number): Suppression => ({
  id: `sup-${n}`,
  kind: "mute",
  scope: "template",
  system: "sys",
  component: "comp",
  templateId: `t${n}`,
  template: "",
  host: "",
  incidentId: "",
  createdTs: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  expiresTs: "",
  createdBy: "ana",
  silenced: 0,
});

Deno.test("FeedbackSync: refuses a non-positive period, timeout or outbox", () => {
  const { store } = unreachable();
  const detection = new IncidentDetection();
  assert.throws(
    () => new FeedbackSync({ store, detection, logger: silentLogger, intervalMs: 0 }),
    /Cannot create FeedbackSync as intervalMs must be a positive integer: current value is 0/,
  );
  assert.throws(
    () => new FeedbackSync({ store, detection, logger: silentLogger, outboxCapacity: 1.5 }),
    RangeError,
  );
});

Deno.test("FeedbackSync: with the cluster unreachable, changes wait in a bounded outbox and merges fail, counted", async () => {
  const { service, store } = unreachable();
  const sync = new FeedbackSync({
    store,
    detection: new IncidentDetection(),
    logger: silentLogger,
    outboxCapacity: 2,
    publishTimeoutMs: 2_000,
  });
  try {
    await sync.publish({ put: [mute(1), mute(2), mute(3)], removed: [], confirmed: [] });
    assert.equal(sync.metrics.pending, 2, "bounded");
    assert.equal(sync.metrics.dropped, 1, "the oldest dropped, counted");
    // A removal of a waiting suppression replaces its live document in the outbox (newer version).
    await sync.publish({
      put: [],
      removed: [{
        suppression: mute(3),
        removedTs: new Date(Date.UTC(2026, 0, 2)).toISOString(),
        removedBy: "bo",
      }],
      confirmed: [],
    });
    assert.equal(sync.metrics.pending, 2);
    assert.equal(await sync.merge(), undefined, "nothing read");
    assert.equal(sync.metrics.mergeFailures, 1);
    assert.match(sync.metrics.lastError ?? "", /status 0|ECONNREFUSED|refused/i);
    const text = sync.prometheusText();
    assert.match(text, /^vigil_feedback_pending 2$/m);
    assert.match(text, /^vigil_feedback_merge_failures_total 1$/m);
    assert.match(text, /^vigil_feedback_dropped_total 1$/m);
  } finally {
    await sync.stop();
    await service.close();
  }
});
