import assert from "node:assert/strict";
import fc from "fast-check";
import { BoundedMailbox, MailboxClosedError, MailboxFullError, type WhenFull } from "../../engine/mod.ts";

type Op =
  | { op: "offer" }
  | { op: "put" }
  | { op: "offerMany"; n: number; from: number }
  | { op: "shift" }
  | { op: "take"; n: number }
  | { op: "close" }
  | { op: "closeNow" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ op: "offer" } as Op) },
  { weight: 5, arbitrary: fc.constant({ op: "put" } as Op) },
  { weight: 3, arbitrary: fc.constant({ op: "shift" } as Op) },
  {
    weight: 3,
    arbitrary: fc.tuple(
      // Small arrays are copied in; from 64 on a whole array is queued as a segment (zero-copy).
      fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 64, max: 150 })),
      fc.integer({ min: 0, max: 3 }),
    ).map(([n, from]) => ({ op: "offerMany", n, from: Math.min(from, n) }) as Op),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 100 }).map((n) => ({ op: "take", n }) as Op) },
  { weight: 1, arbitrary: fc.constant({ op: "close" } as Op) },
  { weight: 1, arbitrary: fc.constant({ op: "closeNow" } as Op) },
);

Deno.test("property: mailbox conserves messages, stays bounded and FIFO under any op sequence", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 64, max: 200 })),
      fc.constantFrom<WhenFull>("block", "drop_newest", "drop_oldest"),
      fc.integer({ min: 0, max: 3 }),
      fc.array(opArb, { maxLength: 80 }),
      async (capacity, whenFull, maxWaitingSenders, ops) => {
        const box = new BoundedMailbox<number>({ capacity, whenFull, maxWaitingSenders });
        let next = 0;
        const out: number[] = []; // delivered by shift/take, in order
        const returned: number[] = []; // handed back: refused by offer, rejected puts, closeNow
        const settled: Promise<void>[] = [];
        for (const o of ops) {
          switch (o.op) {
            case "offer": {
              const v = next++;
              try {
                if (!box.offer(v)) returned.push(v); // full under block: the caller keeps it
              } catch (e) {
                assert.ok(e instanceof MailboxClosedError);
                assert.equal(e.undelivered, v);
                returned.push(v);
              }
              break;
            }
            case "put": {
              const v = next++;
              settled.push(
                box.put(v).catch((e) => {
                  assert.ok(e instanceof MailboxClosedError || e instanceof MailboxFullError);
                  assert.equal((e as MailboxClosedError<number>).undelivered, v);
                  returned.push(v);
                }),
              );
              break;
            }
            case "offerMany": {
              // Messages before `from` are not offered: number them only from `from` on.
              const msgs: number[] = Array.from(
                { length: o.n },
                (_, i) => i < o.from ? -1 : next + i - o.from,
              );
              next += o.n - o.from;
              try {
                const stop = box.offerMany(msgs, o.from);
                assert.ok(stop >= o.from && stop <= o.n);
                for (let i = stop; i < o.n; i++) returned.push(msgs[i]); // not taken: the caller keeps them
              } catch (e) {
                assert.ok(e instanceof MailboxClosedError);
                assert.equal(e.undelivered, o.n > o.from ? msgs[o.from] : undefined);
                for (let i = o.from; i < o.n; i++) returned.push(msgs[i]);
              }
              break;
            }
            case "shift": {
              const v = box.shift();
              if (v !== undefined) out.push(v);
              break;
            }
            case "take":
              out.push(...box.take(o.n));
              break;
            case "close":
              box.close();
              break;
            case "closeNow":
              returned.push(...box.closeNow());
              break;
          }
          assert.ok(box.size <= capacity, "size ≤ capacity");
          assert.ok(box.waitingSenders <= maxWaitingSenders, "parked ≤ maxWaitingSenders");
        }
        returned.push(...box.closeNow());
        await Promise.all(settled);
        // Conservation: every message was delivered, dropped (counted), or handed back. Exactly once.
        assert.equal(out.length + returned.length + box.dropped, next);
        assert.equal(new Set([...out, ...returned]).size, out.length + returned.length);
        // FIFO: delivered messages come out in increasing order (the only reordering is by drop policy).
        for (let i = 1; i < out.length; i++) assert.ok(out[i] > out[i - 1], `FIFO at ${i}: ${out}`);
        assert.equal(box.drained, true);
      },
    ),
    { numRuns: 500 },
  );
});
