import assert from "node:assert/strict";
import { BoundedMailbox } from "./bounded_mailbox.ts";
import { MailboxClosedError } from "./mailbox_closed_error.ts";
import { MailboxFullError } from "./mailbox_full_error.ts";

Deno.test("BoundedMailbox rejects bad options with the value in the message", () => {
  assert.throws(() => new BoundedMailbox({ capacity: 0 }), {
    name: "RangeError",
    message: "Cannot create mailbox mailbox as capacity must be a positive integer: current value is 0",
  });
  assert.throws(
    () => new BoundedMailbox({ capacity: 1.5, name: "p" }),
    /capacity must be a positive integer: current value is 1.5/,
  );
  assert.throws(
    () => new BoundedMailbox({ whenFull: "drop_all" as never }),
    /whenFull must be one of block, drop_newest, drop_oldest: current value is drop_all/,
  );
  assert.throws(
    () => new BoundedMailbox({ maxWaitingSenders: -1 }),
    /maxWaitingSenders .* current value is -1/,
  );
});

Deno.test("BoundedMailbox is FIFO and never holds more than capacity", () => {
  const box = new BoundedMailbox<number>({ capacity: 3 });
  assert.equal(box.offer(1), true);
  assert.equal(box.offer(2), true);
  assert.equal(box.offer(3), true);
  assert.equal(box.offer(4), false);
  assert.equal(box.size, 3);
  assert.deepEqual(box.take(2), [1, 2]);
  assert.equal(box.offer(4), true);
  assert.deepEqual(box.take(10), [3, 4]);
  assert.equal(box.shift(), undefined);
  assert.equal(box.enqueued, 4);
});

Deno.test("drop_newest refuses the incoming message and counts it", () => {
  const box = new BoundedMailbox<number>({ capacity: 2, whenFull: "drop_newest" });
  for (let i = 1; i <= 5; i++) assert.equal(box.offer(i), true);
  assert.deepEqual(box.take(10), [1, 2]);
  assert.equal(box.dropped, 3);
});

Deno.test("drop_oldest evicts the head and counts it", async () => {
  const box = new BoundedMailbox<number>({ capacity: 2, whenFull: "drop_oldest" });
  for (let i = 1; i <= 5; i++) await box.put(i);
  assert.deepEqual(box.take(10), [4, 5]);
  assert.equal(box.dropped, 3);
});

Deno.test("put under block waits for room, then resolves in FIFO order", async () => {
  const box = new BoundedMailbox<string>({ capacity: 1 });
  await box.put("a");
  const resolved: string[] = [];
  const pb = box.put("b").then(() => resolved.push("b"));
  const pc = box.put("c").then(() => resolved.push("c"));
  assert.equal(box.waitingSenders, 2);
  // A fresh offer must not overtake the parked senders.
  await Promise.resolve();
  assert.deepEqual(resolved, []);
  assert.equal(box.shift(), "a");
  await pb;
  assert.deepEqual(resolved, ["b"]);
  assert.equal(box.offer("d"), false, "parked senders go first");
  assert.equal(box.shift(), "b");
  await pc;
  assert.deepEqual(box.take(5), ["c"]);
});

Deno.test("parked senders are bounded: one too many rejects with MailboxFullError carrying the message", async () => {
  const box = new BoundedMailbox<number>({ capacity: 1, maxWaitingSenders: 1, name: "tiny" });
  await box.put(1);
  const parked = box.put(2);
  await assert.rejects(box.put(3), (e: unknown) => {
    assert.ok(e instanceof MailboxFullError);
    assert.equal(e.undelivered, 3);
    assert.equal(e.target, "tiny");
    return true;
  });
  box.shift();
  await parked;
  assert.equal(box.size, 1);
});

Deno.test("close drains: queued and parked messages still come out, new ones are refused", async () => {
  const box = new BoundedMailbox<number>({ capacity: 1 });
  await box.put(1);
  const parked = box.put(2);
  box.close("done");
  assert.throws(() => box.offer(3), (e: unknown) => e instanceof MailboxClosedError && e.undelivered === 3);
  await assert.rejects(box.put(4), (e: unknown) => e instanceof MailboxClosedError && e.cause === "done");
  assert.equal(box.drained, false);
  assert.equal(box.shift(), 1);
  await parked;
  assert.equal(box.shift(), 2);
  assert.equal(box.drained, true);
});

Deno.test("closeNow returns queued messages and rejects parked senders with their message", async () => {
  const box = new BoundedMailbox<number>({ capacity: 2 });
  await box.put(1);
  await box.put(2);
  const parked = box.put(3);
  assert.deepEqual(box.closeNow(), [1, 2]);
  await assert.rejects(parked, (e: unknown) => e instanceof MailboxClosedError && e.undelivered === 3);
  assert.equal(box.drained, true);
});

Deno.test("offerMany queues a whole array without copying and hands it on whole", () => {
  const box = new BoundedMailbox<number>({ capacity: 1000 });
  box.offer(0);
  const chunk = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(box.offerMany(chunk), 100);
  assert.deepEqual(box.take(1000), [0], "batches follow the segments they arrived in");
  assert.equal(box.take(1000), chunk, "zero-copy");
  // Small arrays are copied into the queue's own segment, so they join one batch.
  assert.equal(box.offerMany([4, 5, 6, 7], 1), 4);
  assert.equal(box.offerMany([8, 9]), 2);
  assert.deepEqual(box.take(3), [5, 6, 7]);
  assert.deepEqual(box.take(10), [8, 9]);
});

Deno.test("offerMany takes what fits under block and returns where it stopped", () => {
  const box = new BoundedMailbox<number>({ capacity: 3 });
  assert.equal(box.offerMany([1, 2, 3, 4, 5]), 3);
  assert.equal(box.offerMany([4, 5], 0), 0);
  box.shift();
  assert.equal(box.offerMany([4, 5], 0), 1);
  assert.deepEqual(box.closeNow(), [2, 3, 4]);
  const lossy = new BoundedMailbox<number>({ capacity: 2, whenFull: "drop_newest" });
  assert.equal(lossy.offerMany([1, 2, 3, 4]), 4);
  assert.equal(lossy.dropped, 2);
});
