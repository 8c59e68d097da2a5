import assert from "node:assert/strict";
import { CpuShare, threadCpuLists } from "./cpu_share.ts";
import { processCpuMs } from "./process_cpu.ts";
import { until } from "../../testing/until.ts";

const hasTaskset = await new Deno.Command("taskset", { args: ["-V"], stdout: "null", stderr: "null" })
  .output()
  .then((o) => o.success, () => false);
/** A cgroup with the cpu controller this process may write (root on a host that exposes one). */
const canCap = await (async () => {
  const s = await CpuShare.create({ name: `vigil-probe-${Deno.pid}`, cpu: 0, quota: 0.5 });
  await s.close();
  return s.quota !== undefined;
})();

/** A child that spins on the CPU until killed. */
function spinner(): Deno.ChildProcess {
  return new Deno.Command("sh", { args: ["-c", "while :; do :; done"], stdout: "null", stderr: "null" })
    .spawn();
}

Deno.test("CpuShare.create rejects a CPU the host lacks and a quota outside (0, 1]", async () => {
  await assert.rejects(() => CpuShare.create({ name: "x", cpu: navigator.hardwareConcurrency }), RangeError);
  await assert.rejects(() => CpuShare.create({ name: "x", cpu: 0, quota: 0 }), RangeError);
  await assert.rejects(() => CpuShare.create({ name: "x", cpu: 0, quota: 1.5 }), RangeError);
});

Deno.test("CpuShare without a cgroup says why no quota applies", async () => {
  const s = await CpuShare.create({ name: "x", cpu: 0, quota: 0.5, cgroupRoot: "/nonexistent" });
  assert.equal(s.quota, undefined);
  assert.match(s.quotaNote ?? "", /no cgroup cpu controller/);
});

Deno.test({
  name: "CpuShare.apply pins every thread of a running process to its CPU",
  ignore: !hasTaskset,
  fn: async () => {
    const cpu = navigator.hardwareConcurrency - 1;
    const share = await CpuShare.create({ name: "unused", cpu });
    const child = spinner();
    try {
      await share.apply(child.pid);
      const lists = await threadCpuLists(child.pid);
      assert.ok(lists.length > 0);
      assert.deepEqual(new Set(lists), new Set([String(cpu)]));
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
  },
});

Deno.test({
  name: "CpuShare with a quota holds a spinning process to about that fraction of its CPU",
  ignore: !hasTaskset || !canCap,
  fn: async () => {
    const share = await CpuShare.create({ name: `vigil-test-${Deno.pid}`, cpu: 0, quota: 0.2 });
    const child = spinner();
    try {
      await share.apply(child.pid);
      const cpu0 = (await processCpuMs(child.pid))!;
      const t0 = Date.now();
      // Until it has used 300 ms of CPU (30 of /proc's 10 ms ticks, so the ratio is not lost in rounding).
      let used = 0;
      await until(async () => (used = (await processCpuMs(child.pid))! - cpu0) >= 300, {
        what: () => `300 ms of CPU (used ${used})`,
        deadlineMs: 10_000,
        pollMs: 20,
      });
      const fraction = used / (Date.now() - t0);
      // At most the quota (plus slack for the last period); a spinner alone on a CPU would show ~1.0.
      assert.ok(fraction <= 0.2 + 0.1, `spinner used ${fraction.toFixed(2)} of a CPU under a 0.2 quota`);
      assert.ok((await share.throttled())!.periods > 0, "the cgroup throttled it");
    } finally {
      child.kill("SIGKILL");
      await child.status;
      await until(async () => (await threadCpuLists(child.pid)).length === 0, { what: "spinner gone" })
        .catch(() => {});
      await share.close();
    }
  },
});
