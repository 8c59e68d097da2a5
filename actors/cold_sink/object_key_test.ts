import assert from "node:assert/strict";
import { ARCHIVE_EVENT_TIME_WINDOW } from "../../testing/delivery_fixtures.ts";
import { hourPrefix, objectKey, offsetWindowOf, siblingKeys } from "./object_key.ts";

const event = {
  ts: "2016-09-28T04:30:31.000Z",
  ingestTs: "2026-11-29T00:00:00Z",
  classification: "NORMAL" as const,
};

Deno.test("objectKey: Hive-style partitions and the offset window in the name", () => {
  assert.equal(
    objectKey(
      "",
      event,
      { topic: "vigil.events", partition: 2, offset: "123456" },
      100_000,
      ARCHIVE_EVENT_TIME_WINDOW,
    ),
    "events/dt=2016-09-28/hour=04/classification=NORMAL/part-vigil.events-2-100000-199999.parquet",
  );
  assert.equal(
    objectKey(
      "prod/",
      { ...event, classification: "CRITICAL_ANOMALY" },
      {
        topic: "t",
        partition: 0,
        offset: "9",
      },
      10,
      ARCHIVE_EVENT_TIME_WINDOW,
    ),
    "prod/events/dt=2016-09-28/hour=04/classification=CRITICAL_ANOMALY/part-t-0-0-9.parquet",
  );
});

Deno.test("objectKey: deterministic — every offset of a window maps to one key, the next window to another", () => {
  const keys = new Set<string>();
  for (let o = 0; o < 1000; o++) {
    keys.add(
      objectKey("", event, { topic: "t", partition: 1, offset: String(o) }, 500, ARCHIVE_EVENT_TIME_WINDOW),
    );
  }
  assert.deepEqual([...keys].map((k) => k.split("/").at(-1)), [
    "part-t-1-0-499.parquet",
    "part-t-1-500-999.parquet",
  ]);
});

Deno.test("objectKey: an unparsable ts falls back to ingestTs; odd topic characters are escaped", () => {
  const key = objectKey(
    "",
    { ...event, ts: "nope" },
    { topic: "a/b c", partition: 0, offset: "0" },
    10,
    ARCHIVE_EVENT_TIME_WINDOW,
  );
  assert.equal(key, "events/dt=2026-11-29/hour=00/classification=NORMAL/part-a%2fb%20c-0-0-9.parquet");
});

Deno.test("offsetWindowOf and hourPrefix", () => {
  assert.deepEqual(offsetWindowOf("9007199254740993", 1000), {
    first: 9007199254740000n,
    last: 9007199254740999n,
  });
  assert.equal(hourPrefix("", new Date("2016-09-28T23:10:00Z")), "events/dt=2016-09-28/hour=23/");
});

Deno.test("siblingKeys: the same hour, partition and window under the other classifications", () => {
  const key = objectKey(
    "p/",
    event,
    { topic: "t", partition: 3, offset: "42" },
    100,
    ARCHIVE_EVENT_TIME_WINDOW,
  );
  assert.deepEqual(siblingKeys(key), [
    "p/events/dt=2016-09-28/hour=04/classification=ANOMALY/part-t-3-0-99.parquet",
    "p/events/dt=2016-09-28/hour=04/classification=CRITICAL_ANOMALY/part-t-3-0-99.parquet",
  ]);
  const critical = objectKey(
    "",
    { ...event, classification: "CRITICAL_ANOMALY" },
    {
      topic: "t",
      partition: 0,
      offset: "0",
    },
    10,
    ARCHIVE_EVENT_TIME_WINDOW,
  );
  assert.deepEqual(siblingKeys(critical).map((k) => k.split("/")[3]), [
    "classification=NORMAL",
    "classification=ANOMALY",
  ]);
  assert.throws(() => siblingKeys("events/x.parquet"), TypeError);
});
