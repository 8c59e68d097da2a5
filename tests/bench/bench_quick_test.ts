/**
 * `deno task bench --quick` end to end against the real local stack: every section of the report is measured
 * (no figure is asserted against a speed goal — CI machines differ — but each must be a real measurement of a
 * run that completed, and the run must report no error). The bench runs as a child process and this test reads
 * the JSON report it writes: tests and benches do not import each other.
 */
import assert from "node:assert/strict";

/** A throughput figure of the report (`ThroughputResult` of bench/). */
interface Throughput {
  completed: boolean;
  eventsPerSecond: number;
}

/** The fields of the bench's JSON report (`BenchReport` of bench/suite/report.ts) this test reads. */
interface BenchReportRead {
  raw?: unknown;
  engine: { discard: Throughput[] };
  full: Throughput[];
  latency?: {
    results: {
      offeredRate: number;
      drained: boolean;
      indexed: { n: number };
      searchable: { n: number };
      sse: { n: number };
    }[];
  };
  overload?: { crashed: boolean; caughtUp: boolean };
  micro?: { ok: boolean }[];
}

Deno.test({
  name:
    "bench --quick: raw limits, engine, full pipeline, latency (indexed, searchable, SSE), overload, micro",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "vigil-bench-" });
    try {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "bench/run_all.ts", "--quick", "--out", `${dir}/report`],
        cwd: new URL("../../", import.meta.url).pathname,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, `bench --quick failed:\n${stderr.slice(-3000)}`);
      const r = JSON.parse(await Deno.readTextFile(`${dir}/report.json`)) as BenchReportRead;
      const md = await Deno.readTextFile(`${dir}/report.md`);
      assert.ok(r.raw, "raw limits measured");
      assert.ok(
        r.full.length > 0 && r.full.every((x) => x.completed && x.eventsPerSecond > 0),
        "full pipeline",
      );
      assert.ok(r.engine.discard.every((x) => x.completed && x.eventsPerSecond > 0), "engine alone");
      const latency = r.latency!.results;
      assert.equal(latency.length, 2, "two offered rates");
      for (const x of latency) {
        assert.ok(
          x.indexed.n > 0 && x.searchable.n > 0 && x.sse.n > 0,
          `latency samples at ${x.offeredRate}/s`,
        );
        assert.ok(x.drained, `everything offered at ${x.offeredRate}/s reached the hot tier`);
      }
      assert.ok(r.overload && !r.overload.crashed && r.overload.caughtUp, "overload: no crash, caught up");
      assert.ok(r.micro!.every((m) => m.ok), "micro-benchmarks ran");
      for (const section of ["## 3. Full pipeline", "## 4. Latency", "## 5. Overload"]) {
        assert.ok(md.includes(section), `markdown has ${section}`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
