import assert from "node:assert/strict";
import { parseObjectKey, planCompaction, visibleKeys } from "./compaction_plan.ts";

const dir = "p/events/dt=2016-09-28/hour=04/classification=NORMAL/";
const key = (partition: number, first: number, last: number, topic = "vigil.events") =>
  `${dir}part-${topic}-${partition}-${first}-${last}.parquet`;

Deno.test("parseObjectKey: topic with dashes, partition, range; other keys are not objects", () => {
  assert.deepEqual(parseObjectKey(key(3, 100, 199, "my-topic")), {
    dir,
    topic: "my-topic",
    partition: 3,
    first: 100n,
    last: 199n,
  });
  assert.equal(parseObjectKey(`${dir}notes.txt`), undefined);
});

Deno.test("planCompaction: one step per directory and topic-partition, target covers the sources", () => {
  const steps = planCompaction([
    key(0, 0, 9),
    key(0, 10, 19),
    key(0, 30, 39),
    key(1, 0, 9),
    key(2, 0, 9),
    key(2, 10, 19),
  ]);
  assert.deepEqual(steps, [
    { target: key(0, 0, 39), sources: [key(0, 0, 9), key(0, 10, 19), key(0, 30, 39)] },
    { target: key(2, 0, 19), sources: [key(2, 0, 9), key(2, 10, 19)] },
  ]);
});

Deno.test("planCompaction after a kill: the existing target is read first, so the window objects win", () => {
  assert.deepEqual(planCompaction([key(0, 0, 9), key(0, 0, 19), key(0, 10, 19)]), [
    { target: key(0, 0, 19), sources: [key(0, 0, 19), key(0, 0, 9), key(0, 10, 19)] },
  ]);
  assert.deepEqual(planCompaction([key(0, 0, 19)]), [], "a lone object is left alone");
});

Deno.test("visibleKeys: covered objects are hidden, partial overlaps and other partitions are not", () => {
  const keys = [key(0, 0, 19), key(0, 0, 9), key(0, 10, 19), key(0, 20, 29), key(1, 0, 9), `${dir}other.txt`];
  assert.deepEqual(visibleKeys(keys), [key(0, 0, 19), key(0, 20, 29), key(1, 0, 9), `${dir}other.txt`]);
  assert.deepEqual(
    visibleKeys([key(0, 0, 9), key(0, 0, 9)]),
    [key(0, 0, 9), key(0, 0, 9)],
    "equal ranges: same key",
  );
});
