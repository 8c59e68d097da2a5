import assert from "node:assert/strict";
import { requestRetryOptions, retry, RetryError } from "./retry.ts";
import { abortableSleep } from "./abortable_sleep.ts";

/** A try that fails `failures` times with "busy", then resolves with the number of calls. */
function flaky(failures: number) {
  const state = { calls: 0 };
  const fn = () =>
    ++state.calls <= failures ? Promise.reject(new Error("busy")) : Promise.resolve(state.calls);
  return { state, fn };
}

const fast = { initialBackoffMs: 1, maxBackoffMs: 2 };

Deno.test("retry resolves with the first successful try and reports each retry", async () => {
  const { state, fn } = flaky(2);
  const retries: number[] = [];
  assert.equal(await retry(fn, { ...fast, onRetry: (_e, attempt) => retries.push(attempt) }), 3);
  assert.equal(state.calls, 3);
  assert.deepEqual(retries, [0, 1]);
});

Deno.test("retry: maxAttempts bounds the tries; RetryError carries the last cause and the count", async () => {
  const { state, fn } = flaky(Infinity);
  const err = await retry(fn, { ...fast, maxAttempts: 4 }).catch((e) => e);
  assert.ok(err instanceof RetryError);
  assert.equal(err.attempts, 4);
  assert.equal(state.calls, 4);
  assert.equal((err.cause as Error).message, "busy");
  assert.match(err.message, /gave up after 4 attempt\(s\): busy/);
});

Deno.test("retry: maxDurationMs bounds the time (no try starts after it)", async () => {
  let calls = 0;
  const slowFailure = async () => {
    calls++;
    await abortableSleep(30);
    throw new Error("slow");
  };
  const err = await retry(slowFailure, { ...fast, maxAttempts: Infinity, maxDurationMs: 10 }).catch((e) => e);
  assert.ok(err instanceof RetryError);
  assert.equal(calls, 1, "the first try already outlasted the deadline");
});

Deno.test("retry: a non-retriable error is rethrown as it is, after one try", async () => {
  const { state, fn } = flaky(Infinity);
  await assert.rejects(retry(fn, { ...fast, isRetriable: () => false }), { message: "busy" });
  assert.equal(state.calls, 1);
});

Deno.test("retry: an abort ends a long wait with the signal's reason (the engine stopping)", async () => {
  const { state, fn } = flaky(Infinity);
  const abort = new AbortController();
  const stopped = new Error("engine stopped");
  const run = retry(fn, {
    maxAttempts: Infinity,
    initialBackoffMs: 3_600_000, // an hour: only the abort can end this wait
    maxBackoffMs: 3_600_000,
    jitter: 0,
    signal: abort.signal,
    onRetry: () => queueMicrotask(() => abort.abort(stopped)),
  });
  await assert.rejects(run, (e) => e === stopped);
  assert.equal(state.calls, 1);
  // Already aborted: not even one try.
  const before = flaky(0);
  await assert.rejects(retry(before.fn, { signal: abort.signal }), (e) => e === stopped);
  assert.equal(before.state.calls, 0);
});

Deno.test("retry: the waits follow the jittered backoff (full jitter stays in [0, d])", async () => {
  const delays: number[] = [];
  const { fn } = flaky(Infinity);
  await retry(fn, {
    maxAttempts: 6,
    initialBackoffMs: 1,
    maxBackoffMs: 8,
    onRetry: (_e, _a, delayMs) => delays.push(delayMs),
  }).catch(() => {});
  assert.equal(delays.length, 5);
  const caps = [1, 2, 4, 8, 8];
  delays.forEach((d, i) => assert.ok(d >= 0 && d <= caps[i], `delay ${i} = ${d} within [0, ${caps[i]}]`));
  const fixed: number[] = [];
  await retry(flaky(Infinity).fn, {
    maxAttempts: 4,
    initialBackoffMs: 2,
    maxBackoffMs: 8,
    jitter: 0,
    onRetry: (_e, _a, delayMs) => fixed.push(delayMs),
  }).catch(() => {});
  assert.deepEqual(fixed, [2, 4, 8]);
});

Deno.test("retry validates its options", async () => {
  const { fn } = flaky(0);
  await assert.rejects(
    retry(fn, { maxAttempts: 0 }),
    /maxAttempts must be a positive integer or Infinity: current value is 0/,
  );
  await assert.rejects(retry(fn, { jitter: 2 }), /jitter must be in \[0, 1\]: current value is 2/);
  await assert.rejects(
    retry(fn, { initialBackoffMs: 10, maxBackoffMs: 5 }),
    /maxBackoffMs must be ≥ initialBackoffMs/,
  );
});

Deno.test("requestRetryOptions: an adapter's configured bounds, random source and abort signal", () => {
  const abort = new AbortController();
  const random = () => 0.5;
  assert.deepEqual(
    requestRetryOptions({ retryInitialBackoffMs: 200, retryMaxBackoffMs: 10_000 }, random, abort.signal),
    { initialBackoffMs: 200, maxBackoffMs: 10_000, random, signal: abort.signal },
  );
});
