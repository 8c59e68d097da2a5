import assert from "node:assert/strict";
import { ActorSystem } from "./actor_system.ts";
import { ActorStoppedError } from "./actor_stopped_error.ts";
import type { DeadLetter } from "./dead_letters.ts";
import { FakeClock, flushMicrotasks } from "./fake_clock.ts";
import { silentLogger } from "./logger.ts";
import { MailboxClosedError } from "./mailbox_closed_error.ts";
import { oneForOne } from "./one_for_one.ts";
import { restartWithBackoff } from "./restart_with_backoff.ts";

function setup(onEscalation?: (e: unknown) => void) {
  const clock = new FakeClock();
  const system = new ActorSystem({ clock, logger: silentLogger, onEscalation });
  const dead: DeadLetter[] = [];
  system.deadLetters.subscribe((l) => dead.push(l));
  return { clock, system, dead };
}

async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await flushMicrotasks();
}

Deno.test("lifecycle: preStart before the first message, postStop after the mailbox drained", async () => {
  const { system } = setup();
  const log: string[] = [];
  const ref = system.spawn<string>({
    name: "life",
    create: () => ({
      preStart: async () => {
        await Promise.resolve();
        log.push("preStart");
      },
      receive: (m) => void log.push(m),
      postStop: () => void log.push("postStop"),
    }),
  });
  await ref.send("a");
  await ref.send("b");
  await system.drain(ref);
  assert.deepEqual(log, ["preStart", "a", "b", "postStop"]);
  assert.equal(ref.state, "stopped");
  await assert.rejects(ref.send("late"), (e: unknown) => {
    assert.ok(e instanceof MailboxClosedError);
    assert.equal(e.undelivered, "late");
    assert.ok(e.cause instanceof ActorStoppedError);
    return true;
  });
});

Deno.test("resume keeps state and dead-letters the failed message", async () => {
  const { system, dead } = setup();
  const seen: number[] = [];
  const ref = system.spawn<string>({
    name: "counter",
    supervisor: oneForOne({ decider: () => "resume" }),
    create: () => {
      let count = 0;
      return {
        receive: (m) => {
          if (m === "boom") throw new Error("boom");
          seen.push(++count);
        },
      };
    },
  });
  for (const m of ["a", "b", "boom", "c"]) await ref.send(m);
  await system.drain(ref);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(dead.length, 1);
  assert.equal(dead[0].message, "boom");
  assert.equal(dead[0].reason, "failed");
  assert.equal(system.snapshot().actors[0].restarts, 0);
});

Deno.test("restart resets state, calls preRestart with the error and retries the message", async () => {
  const { system, dead } = setup();
  const seen: string[] = [];
  const hooks: string[] = [];
  let failOnce = true;
  const ref = system.spawn<string>({
    name: "flaky",
    create: () => {
      let count = 0;
      return {
        receive: (m) => {
          if (m === "flaky" && failOnce) {
            failOnce = false;
            throw new Error("transient");
          }
          seen.push(`${m}#${++count}`);
        },
        preRestart: (e) => void hooks.push(`preRestart:${(e as Error).message}`),
        postStop: () => void hooks.push("postStop"),
      };
    },
  });
  for (const m of ["a", "b", "flaky", "c"]) await ref.send(m);
  await system.drain(ref);
  assert.deepEqual(seen, ["a#1", "b#2", "flaky#1", "c#2"]);
  assert.deepEqual(hooks, ["preRestart:transient", "postStop"]);
  assert.equal(dead.length, 0);
  assert.equal(system.snapshot().actors[0].restarts, 1);
});

Deno.test("a poison message goes to dead letters after maxAttempts; the rest is processed in order", async () => {
  const { system, dead } = setup();
  const seen: number[] = [];
  const ref = system.spawn<number>({
    name: "poisoned",
    maxAttempts: 3,
    create: () => ({
      receive: (n) => {
        if (n === 13) throw new Error("unlucky");
        seen.push(n);
      },
    }),
  });
  for (let i = 10; i < 16; i++) await ref.send(i);
  await system.drain(ref);
  assert.deepEqual(seen, [10, 11, 12, 14, 15]);
  assert.equal(dead.length, 1);
  assert.deepEqual([dead[0].message, dead[0].reason, dead[0].attempts], [13, "poison", 3]);
  assert.equal((dead[0].error as Error).message, "unlucky");
  const snap = system.snapshot().actors[0];
  assert.equal(snap.restarts, 3);
  assert.equal(snap.messages.failed, 3);
  assert.equal(snap.messages.out, 5);
});

Deno.test("a failed batch is re-delivered one by one: only the culprit is dead-lettered", async () => {
  const { system, dead } = setup();
  const seen: number[] = [];
  const batches: number[] = [];
  const ref = system.spawn<number>({
    name: "batcher",
    batchSize: 8,
    mailbox: { capacity: 64 },
    create: () => ({
      receiveBatch: (ns) => {
        batches.push(ns.length);
        if (ns.includes(5)) throw new Error("bad 5"); // fails before any side effect
        seen.push(...ns);
      },
    }),
  });
  for (let i = 0; i < 20; i++) ref.trySend(i);
  await system.drain(ref);
  assert.deepEqual(seen, [...Array(20).keys()].filter((i) => i !== 5));
  assert.deepEqual(dead.map((d) => [d.message, d.reason]), [[5, "poison"]]);
  assert.equal(batches[0], 8);
});

Deno.test("restartWithBackoff: the actor waits min, then doubled backoff on fake time", async () => {
  const { system, clock } = setup();
  let instances = 0;
  const ref = system.spawn<string>({
    name: "backoff",
    supervisor: restartWithBackoff({
      minBackoffMs: 100,
      maxBackoffMs: 1000,
      randomFactor: 0,
      resetAfterMs: 10_000,
    }),
    maxAttempts: 10,
    create: () => {
      instances++;
      return {
        receive: (m) => {
          if (m === "crash") throw new Error("crash");
        },
      };
    },
  });
  await settle();
  assert.equal(ref.state, "running");
  ref.trySend("crash");
  await settle();
  assert.equal(ref.state, "restarting");
  await clock.advance(99);
  assert.equal(ref.state, "restarting");
  assert.equal(instances, 1);
  await clock.advance(1);
  // The retried "crash" fails again at once: second backoff is 200 ms.
  assert.equal(instances, 2);
  await settle();
  assert.equal(ref.state, "restarting");
  await clock.advance(199);
  assert.equal(instances, 2);
  await clock.advance(1);
  assert.equal(instances, 3);
  // ...and the third instance fails on it again: a third restart is pending (400 ms).
  assert.equal(system.snapshot().actors[0].restarts, 3);
  await system.stop(ref);
});

Deno.test("exceeding the restart limit stops the actor; queued messages become dead letters", async () => {
  const { system, dead } = setup();
  const ref = system.spawn<number>({
    name: "fragile",
    supervisor: oneForOne({ maxRestarts: 2, withinMs: 60_000 }),
    maxAttempts: 100,
    mailbox: { capacity: 16 },
    create: () => ({
      receive: (n) => {
        if (n === 0) throw new Error("always");
      },
    }),
  });
  for (let i = 0; i < 5; i++) ref.trySend(i);
  await ref.stopped;
  assert.equal(ref.state, "failed");
  assert.deepEqual(dead.map((d) => d.message), [0, 1, 2, 3, 4]);
  assert.equal(dead[0].reason, "failed");
  assert.equal(dead[1].reason, "stopped");
  assert.equal(system.snapshot().actors[0].restarts, 2);
  assert.throws(() => ref.trySend(9), MailboxClosedError);
});

Deno.test("escalate: a child's failure restarts its parent (and the child); at the top it reaches onEscalation", async () => {
  const escalated: unknown[] = [];
  const { system } = setup((e) => escalated.push(e));
  let parentInstances = 0;
  let childRef: import("./actor_ref.ts").ActorRef<string> | undefined;
  const parent = system.spawn<string>({
    name: "parent",
    supervisor: oneForOne({ maxRestarts: 1, whenLimitExceeded: "escalate" }),
    create: (ctx) => {
      parentInstances++;
      return {
        preStart: () => {
          childRef = ctx.spawn<string>({
            name: "child",
            supervisor: oneForOne({ decider: () => "escalate" }),
            create: () => ({
              receive: (m) => {
                if (m === "fail") throw new Error("child failed");
              },
            }),
          });
        },
        receive: (m) => childRef!.send(m),
      };
    },
  });
  await settle();
  const firstChild = childRef!;
  await parent.send("fail");
  await settle(5);
  assert.equal(firstChild.state, "failed");
  assert.equal(parentInstances, 2, "parent restarted once");
  assert.notEqual(childRef, firstChild, "a fresh child was spawned");
  assert.equal(childRef!.path, "/parent/child");
  await parent.send("fail");
  await settle(5);
  assert.equal(parent.state, "failed");
  assert.equal(escalated.length, 1);
  assert.equal((escalated[0] as Error).message, "child failed");
});

Deno.test("stop now dead-letters what is queued; the handler in flight finishes", async () => {
  const { system, dead } = setup();
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const done: number[] = [];
  const ref = system.spawn<number>({
    name: "slow",
    create: () => ({
      receive: async (n) => {
        await gate;
        done.push(n);
      },
    }),
  });
  for (let i = 0; i < 4; i++) await ref.send(i);
  await settle();
  const stopping = system.stop(ref);
  release();
  await stopping;
  assert.deepEqual(done, [0]);
  assert.deepEqual(dead.map((d) => [d.message, d.reason]), [[1, "stopped"], [2, "stopped"], [3, "stopped"]]);
});

Deno.test("scheduleOnce and scheduleRepeatedly deliver on fake time and stop with the actor", async () => {
  const { system, clock } = setup();
  const got: string[] = [];
  const ref = system.spawn<string>({
    name: "timers",
    create: (ctx) => ({
      preStart: () => {
        ctx.scheduleOnce(50, "once");
        ctx.scheduleRepeatedly(20, "tick");
      },
      receive: (m) => void got.push(m),
    }),
  });
  await settle();
  await clock.advance(60);
  assert.deepEqual(got, ["tick", "tick", "once", "tick"]);
  await system.stop(ref);
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("spawn rejects malformed props with clear errors", () => {
  const { system } = setup();
  assert.throws(
    () => system.spawn({ name: "a/b", create: () => ({ receive() {} }) }),
    /name must be a non-empty string without "\/": current value is a\/b/,
  );
  assert.throws(
    () => system.spawn({ name: "x", create: () => ({}) }),
    /has neither receive nor receiveBatch/,
  );
  assert.throws(
    () => system.spawn({ name: "y", batchSize: 0, create: () => ({ receive() {} }) }),
    /batchSize must be a positive integer: current value is 0/,
  );
  system.spawn({ name: "z", create: () => ({ receive() {} }) });
  assert.throws(() => system.spawn({ name: "z", create: () => ({ receive() {} }) }), /name is taken/);
});

Deno.test("shutdown refuses new spawns and reports a graceful stop", async () => {
  const { system } = setup();
  const ref = system.spawn<number>({ name: "n", create: () => ({ receive() {} }) });
  await ref.send(1);
  const report = await system.shutdown({ deadlineMs: 1000 });
  assert.equal(report.graceful, true);
  assert.throws(() => system.spawn({ name: "m", create: () => ({ receive() {} }) }), ActorStoppedError);
});

Deno.test("a supervisor that throws stops the actor instead of crashing the process", async () => {
  const { system, dead } = setup();
  const ref = system.spawn<number>({
    name: "badly-supervised",
    supervisor: {
      decide() {
        throw new Error("decider bug");
      },
    },
    create: () => ({
      receive: () => {
        throw new Error("work failed");
      },
    }),
  });
  await ref.send(1);
  await ref.stopped;
  assert.equal(ref.state, "failed");
  assert.deepEqual(dead.map((d) => [d.message, d.reason]), [[1, "failed"]]);
});
