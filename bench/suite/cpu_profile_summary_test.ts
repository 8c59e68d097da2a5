import assert from "node:assert/strict";
import { frameName, summariseProfile, summariseProfiles } from "./cpu_profile_summary.ts";

Deno.test("summariseProfile: self time by function from a profile's samples and time deltas", () => {
  const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)") },
      { id: 2, callFrame: frame("encode", "file:///work/main/actors/cold_sink/parquet.ts", 9) },
      {
        id: 3,
        callFrame: frame("stringify", "file:///x/node_modules/.deno/hyparquet-writer@0.17.0/a.js", 1),
      },
      { id: 4, callFrame: frame("(garbage collector)") },
    ],
    samples: [2, 2, 3, 4, 2],
    timeDeltas: [100, 100, 200, 600, 0],
  };
  assert.deepEqual(summariseProfile(profile), [
    { fn: "(garbage collector)", selfMs: 0.6, share: 0.6 },
    { fn: "encode (actors/cold_sink/parquet.ts:10)", selfMs: 0.2, share: 0.2 },
    { fn: "stringify (npm:hyparquet-writer:2)", selfMs: 0.2, share: 0.2 },
  ]);
  assert.equal(summariseProfile(profile, 1).length, 1);
  assert.equal(frameName(frame("")), "(anonymous)");
});

Deno.test("summariseProfiles reads a real profile written by deno run --cpu-prof", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/busy.js`;
    await Deno.writeTextFile(
      script,
      "function busyLoop(){let x=0;for(let i=0;i<4e7;i++)x+=Math.sqrt(i);return x}console.log(busyLoop()>0)",
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--cpu-prof", `--cpu-prof-dir=${dir}`, script],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(out.code, 0);
    const [summary] = await summariseProfiles(dir);
    assert.ok(summary.some((e) => e.fn.startsWith("busyLoop ")), JSON.stringify(summary));
    const sum = summary.reduce((s, e) => s + e.share, 0);
    assert.ok(sum > 0.5 && sum <= 1.000001);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
