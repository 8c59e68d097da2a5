import assert from "node:assert/strict";
import { isOurProcess, launchDetached, readPid, runningPid, stopProcess } from "./managed_process.ts";

async function scratch(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "vigil-managed-process-" });
}

// `sh -c 'sleep 30; :' MARKER`: the trailing `:` stops sh from exec-ing sleep, so the marker ($0) stays in
// the command line of the pid we track; the sleep child dies with it because the whole group is signalled.
function sleeper(dir: string, marker: string) {
  return {
    cmd: "sh",
    args: ["-c", "echo started; sleep 30; :", marker],
    marker,
    pidFile: `${dir}/pid`,
    logFile: `${dir}/process.log`,
    cwd: dir,
  };
}

Deno.test("launchDetached records the pid, logs output, and stopProcess stops exactly that process", async () => {
  const dir = await scratch();
  const marker = `vigil-test-${crypto.randomUUID()}`;
  try {
    const pid = await launchDetached(sleeper(dir, marker));
    assert.equal(await readPid(`${dir}/pid`), pid);
    assert.equal(await isOurProcess(pid, marker), true);
    assert.equal(await runningPid(`${dir}/pid`, marker), pid);
    // Another marker does not claim it, and stopping under it leaves the process alone.
    assert.equal(await stopProcess(`${dir}/pid`, "some-other-marker", 1_000), false);
    await Deno.writeTextFile(`${dir}/pid`, String(pid));
    assert.equal(await isOurProcess(pid, marker), true);

    assert.equal(await stopProcess(`${dir}/pid`, marker, 5_000), true);
    assert.equal(await isOurProcess(pid, marker), false);
    assert.equal(await readPid(`${dir}/pid`), undefined);
    assert.match(await Deno.readTextFile(`${dir}/process.log`), /started/);
    // The group got the signal too; its members die (and are reaped) shortly after the leader.
    let groupAlive = true;
    for (let i = 0; i < 50 && groupAlive; i++) {
      const ps = await new Deno.Command("ps", { args: ["-eo", "pgid=,stat="], stdout: "piped" }).output();
      groupAlive = new TextDecoder().decode(ps.stdout).split("\n").some((l) => {
        const [pgid, stat] = l.trim().split(/\s+/);
        return Number(pgid) === pid && !stat?.startsWith("Z");
      });
      if (groupAlive) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(groupAlive, false, "a child of the stopped process is still running after 5 s");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a pid file naming a foreign live process (pid reuse) is treated as stale, never killed", async () => {
  const dir = await scratch();
  try {
    // Our own test process stands in for an unrelated program that got the recorded pid.
    await Deno.writeTextFile(`${dir}/pid`, String(Deno.pid));
    assert.equal(await runningPid(`${dir}/pid`, "-Dvigil.stack=/repo/.vigil/kafka"), undefined);
    await Deno.writeTextFile(`${dir}/pid`, String(Deno.pid));
    assert.equal(await stopProcess(`${dir}/pid`, "-Dvigil.stack=/repo/.vigil/kafka"), false);
    assert.equal(await readPid(`${dir}/pid`), undefined, "the stale pid file is removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readPid rejects garbage pid files; launchDetached requires the marker", async () => {
  const dir = await scratch();
  try {
    for (const text of ["", "abc", "-5", "0", "12 34", "\u0000"]) {
      await Deno.writeTextFile(`${dir}/pid`, text);
      assert.equal(await readPid(`${dir}/pid`), undefined, JSON.stringify(text));
    }
    assert.equal(await readPid(`${dir}/missing`), undefined);
    await assert.rejects(
      launchDetached({ ...sleeper(dir, "m"), args: ["-c", "true"], marker: "absent-marker" }),
      RangeError,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
