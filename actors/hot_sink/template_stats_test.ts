import assert from "node:assert/strict";
import { TemplateStats } from "./template_stats.ts";
import { ARCHIVE_EVENT_TIME_WINDOW, deliveryRecord } from "../../testing/delivery_fixtures.ts";

Deno.test("TemplateStats: counts stored records per template over several batches; take empties it", () => {
  const stats = new TemplateStats();
  stats.add([deliveryRecord(0), deliveryRecord(5)], ARCHIVE_EVENT_TIME_WINDOW);
  stats.add(
    [deliveryRecord(2), deliveryRecord(3, { event: { templateId: "", template: "" } })],
    ARCHIVE_EVENT_TIME_WINDOW,
  );
  assert.equal(stats.size, 1, "a record without a template id is not counted");
  const [t] = stats.take();
  assert.equal(t.count, 3);
  assert.equal(t.firstSeen, "2016-09-28T04:30:00.000Z");
  assert.equal(t.lastSeen, "2016-09-28T04:30:05.000Z");
  assert.equal(stats.size, 0);
  assert.deepEqual(stats.take(), []);
});

Deno.test("TemplateStats: rejected records are skipped; a failed flush's counts come back, newer text kept", () => {
  const stats = new TemplateStats();
  stats.add([deliveryRecord(0), deliveryRecord(1)], ARCHIVE_EVENT_TIME_WINDOW, (i) => i === 1);
  const failed = stats.take();
  assert.equal(failed[0].count, 1);
  stats.add(
    [deliveryRecord(9, { event: { template: "Loaded Servicing Stack <*> with <*>" } })],
    ARCHIVE_EVENT_TIME_WINDOW,
  );
  stats.restore(failed);
  const [t] = stats.take();
  assert.equal(t.count, 2);
  assert.equal(t.template, "Loaded Servicing Stack <*> with <*>", "the restored older text does not win");
  assert.equal(t.firstSeen, "2016-09-28T04:30:00.000Z");
  assert.equal(t.lastSeen, "2016-09-28T04:30:09.000Z");
});
