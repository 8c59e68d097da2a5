import assert from "node:assert/strict";
import { stackStatus } from "./local_stack.ts";
import { acquireStack } from "./stack_lease.ts";
import { STACK_HOME } from "./stack_paths.ts";

// Runs under `deno task test`, i.e. with the stack up and held by the test runner's own lease, so these
// leases start nothing and must stop nothing.

async function leaseFiles(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(`${STACK_HOME}/leases`)) names.push(e.name);
  return names;
}

Deno.test("leases on a running stack start nothing, stop nothing, and clean up after themselves", async () => {
  const before = await leaseFiles();
  const [a, b] = await Promise.all([acquireStack([], () => {}), acquireStack([], () => {})]);
  assert.deepEqual([a.started, b.started], [[], []]);
  assert.equal((await leaseFiles()).length, before.length + 2);
  assert.deepEqual(await a.release(), []);
  assert.deepEqual(await a.release(), [], "release is idempotent");
  assert.deepEqual(await b.release(), []);
  assert.deepEqual((await leaseFiles()).sort(), before.sort());
  assert.ok((await stackStatus()).every((s) => s.state === "healthy"));
});

Deno.test("a lease left by a dead process is swept on release", async () => {
  // pid 2^22+1 is above Linux's pid_max ceiling, so it is never alive.
  const ghost = `${STACK_HOME}/leases/ghost-${crypto.randomUUID().slice(0, 8)}.json`;
  await Deno.writeTextFile(ghost, JSON.stringify({ pid: 4_194_305, started: [] }));
  const lease = await acquireStack([], () => {});
  await lease.release();
  await assert.rejects(Deno.stat(ghost), Deno.errors.NotFound);
});
