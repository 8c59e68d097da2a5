import assert from "node:assert/strict";
import { silentLogger } from "../engine/logger.ts";
import { DeadLetterBlockedError, DeadLetterOutbox } from "./dead_letter_outbox.ts";
import { deadLetter, type DeadLetterRecord } from "./dead_letter_record.ts";
import { until } from "../testing/until.ts";

/** A writer that refuses while `refusing` is true and counts its calls. */
function flakyWriter() {
  const state = { refusing: true, calls: 0, stored: [] as DeadLetterRecord[] };
  return {
    state,
    write(records: DeadLetterRecord[]) {
      state.calls++;
      if (state.refusing) return Promise.reject(new Error("MESSAGE_TOO_LARGE"));
      state.stored.push(...records);
      return Promise.resolve();
    },
  };
}

const options = {
  attempts: 3,
  initialBackoffMs: 1,
  maxBackoffMs: 2,
  probeIntervalMs: 20,
  logger: silentLogger,
};

Deno.test("DeadLetterOutbox.write: bounded tries, then blocked with the writer's reason", async () => {
  const writer = flakyWriter();
  const outbox = new DeadLetterOutbox(writer, options);
  await assert.rejects(outbox.write([deadLetter("x", "bad", "source")]), DeadLetterBlockedError);
  assert.equal(writer.state.calls, 3, "exactly `attempts` tries");
  assert.match(outbox.blocked?.reason ?? "", /after 3 tries: MESSAGE_TOO_LARGE/);
  writer.state.refusing = false;
  await outbox.write([deadLetter("y", "bad", "source")]);
  assert.equal(outbox.blocked, undefined, "a stored write clears the block");
});

Deno.test("DeadLetterOutbox.deliver: waits blocked (counted) without losing the letter, resumes when the writer accepts", async () => {
  const writer = flakyWriter();
  const outbox = new DeadLetterOutbox(writer, options);
  let stored = false;
  const delivering = outbox.deliver([deadLetter("x", "bad", "source")]).then(() => stored = true);
  await until(() => outbox.blocked !== undefined && writer.state.calls >= 5, { what: "blocked and probing" });
  assert.equal(outbox.blocked?.waiting, 1);
  assert.equal(stored, false);
  writer.state.refusing = false;
  await delivering;
  assert.equal(writer.state.stored.length, 1);
  assert.equal(outbox.blocked, undefined);
});

Deno.test("DeadLetterOutbox.deliver: an abort ends the wait with an error (the letter is not stored)", async () => {
  const writer = flakyWriter();
  const outbox = new DeadLetterOutbox(writer, { ...options, probeIntervalMs: 60_000 });
  const abort = new AbortController();
  const delivering = outbox.deliver([deadLetter("x", "bad", "source")], abort.signal);
  await until(() => outbox.blocked !== undefined, { what: "blocked" });
  abort.abort();
  await assert.rejects(delivering, DeadLetterBlockedError);
  assert.equal(writer.state.stored.length, 0);
  assert.throws(() => new DeadLetterOutbox(writer, { attempts: 0 }), RangeError);
});
