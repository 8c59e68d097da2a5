/**
 * The CI subset of `deno task chaos` (bench/chaos/), against the real local stack: a classifier worker killed
 * mid-run, a garbage model file on restart, and the bad-input corpus. Each produces events with known ids and
 * must end with every id exactly once in both tiers (the hostile messages: each delivered or dead-lettered
 * once, and the stream after them on time). (The broker restart, 429 and outage scenarios take minutes:
 * `deno task chaos`.)
 *
 * The chaos runner runs as a child process (`bench/chaos/run_chaos.ts --only … --out …`), so this test reads
 * the rows it writes instead of importing the bench: tests and benches do not import each other.
 */
import assert from "node:assert/strict";

/** The fields of a row of the chaos table (`ChaosResult` of bench/chaos/chaos_harness.ts) this test reads. */
interface ChaosRow {
  scenario: string;
  produced: number;
  hotUnique: number;
  hotDuplicates: number;
  coldRows: number;
  coldDuplicates: number;
  /** Records on the dead-letter topic (hostile input only). */
  dlq: number;
  lost: number;
  observed: Record<string, number>;
  verdict: string;
  notes: string[];
  error?: string;
}

const REPO = new URL("../../", import.meta.url).pathname;

/** Runs the chaos runner on the scenarios whose names start with `only` and returns its rows. */
async function runChaos(only: string[]): Promise<ChaosRow[]> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-chaos-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "bench/chaos/run_chaos.ts",
        "--only",
        only.join(","),
        "--kills",
        "1",
        "--out",
        `${dir}/chaos`,
      ],
      cwd: REPO,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    const report = await Deno.readTextFile(`${dir}/chaos.json`).catch(() => undefined);
    assert.ok(report, `the chaos runner wrote no report (exit ${out.code}):\n${stderr.slice(-3000)}`);
    return (JSON.parse(report) as { results: ChaosRow[] }).results;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

function assertExact(r: ChaosRow): void {
  const summary = JSON.stringify({ ...r, notes: undefined }) + `\nnotes: ${r.notes.join("; ")}`;
  assert.equal(r.error, undefined, summary);
  assert.ok(r.produced > 0, summary);
  assert.equal(r.hotUnique, r.produced, summary);
  assert.equal(r.hotDuplicates, 0, summary);
  assert.equal(r.coldRows, r.produced, summary);
  assert.equal(r.coldDuplicates, 0, summary);
  assert.equal(r.lost, 0, summary);
  assert.equal(r.verdict, "PASS", summary);
}

Deno.test({
  sanitizeOps: false,
  sanitizeResources: false,
  name: "chaos: a classifier worker killed mid-run is replaced, its batch retried — 0 lost, 0 duplicated",
  fn: async () => {
    const rows = await runChaos(["worker-kill"]);
    assert.deepEqual(rows.map((r) => r.scenario), ["worker-kill-x1"]);
    const [r] = rows;
    assertExact(r);
    assert.ok(r.observed["workers replaced"] >= 1, JSON.stringify(r.observed));
    assert.ok(r.observed["batches retried"] >= 1, JSON.stringify(r.observed));
  },
});

Deno.test({
  sanitizeOps: false,
  sanitizeResources: false,
  name:
    "chaos: a garbage model on restart is refused (exit ≠ 0, file and feature spec named, nothing committed); the good model catches up exactly",
  fn: async () => {
    const rows = await runChaos(["garbage-model"]);
    assert.deepEqual(rows.map((r) => r.scenario), ["garbage-model"]);
    const [r] = rows;
    assertExact(r);
    const refused = r.observed["refused exit code"];
    assert.ok(Number.isInteger(refused) && refused !== 0, `refused exit code: ${refused}`);
    assert.ok(r.notes.some((n) => n.includes("committed offsets unchanged")), r.notes.join("; "));
  },
});

Deno.test({
  sanitizeOps: false,
  sanitizeResources: false,
  name:
    "chaos: bad input (backtracking lines, a 1 MB message, garbage) — each delivered or dead-lettered once, the rest of the stream on time",
  fn: async () => {
    const rows = await runChaos(["bad-input"]);
    assert.deepEqual(rows.map((r) => r.scenario), ["bad-input"]);
    const [r] = rows;
    const summary = JSON.stringify({ ...r, notes: undefined }) + `\nnotes: ${r.notes.join("; ")}`;
    assert.equal(r.error, undefined, summary);
    assert.ok(r.produced > 0, summary);
    // 20 hostile messages: 10 garbage (the 1 MB one included) dead-lettered once, 10 hostile events delivered.
    assert.equal(r.dlq, 10, summary);
    assert.equal(r.hotUnique, r.produced + 10, summary);
    assert.equal(r.coldRows, r.produced + 10, summary);
    assert.deepEqual([r.lost, r.hotDuplicates, r.coldDuplicates], [0, 0, 0], summary);
    assert.ok(
      r.notes.some((n) =>
        n.includes("20 messages → 10 delivered to both tiers, 10 dead-lettered, 0 unaccounted")
      ),
      summary,
    );
    // On time: good events made after the hostile ones against the deadline from the same run's baseline.
    const { "baseline max ms": baseline, "after hostile max ms": after, "deadline ms": deadline } =
      r.observed;
    assert.ok(baseline > 0 && after > 0, summary);
    assert.ok(after <= deadline, `late: ${after} ms > ${deadline} ms\n${summary}`);
    assert.equal(r.verdict, "PASS", summary);
  },
});
