/**
 * Runs the component micro-benchmarks of `bench/` (`deno bench --json`, one file at a time, each bounded by a
 * timeout) and turns their output into rows: time per iteration and the ratio to the baseline of the same
 * group in the same run.
 *
 * @module
 */

/** One benchmark of one file. */
export interface MicroBenchRow {
  file: string;
  group: string;
  name: string;
  baseline: boolean;
  /** Mean time per iteration, ms (NaN when it failed). */
  avgMs: number;
  /** avg / the group's baseline avg (NaN without a baseline). */
  ratio: number;
}

/** Result of one file. */
export interface MicroBenchFile {
  file: string;
  ok: boolean;
  seconds: number;
  rows: MicroBenchRow[];
  error?: string;
}

interface BenchJson {
  benches: {
    group?: string | null;
    name: string;
    baseline?: boolean;
    results: { ok?: { avg: number } }[];
  }[];
}

/** Runs one bench file with `deno bench -A --json`, killed after `timeoutMs`. */
export async function runBenchFile(file: string, timeoutMs: number): Promise<MicroBenchFile> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["bench", "-A", "--json", file],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* done */ }
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const text = new TextDecoder().decode(out.stdout);
  let json: BenchJson;
  try {
    json = JSON.parse(text.slice(text.indexOf("{")));
  } catch {
    const why = out.signal === "SIGKILL" ? `killed after ${timeoutMs / 1000} s` : `exit ${out.code}`;
    return {
      file,
      ok: false,
      seconds,
      rows: [],
      error: `${why}: ${new TextDecoder().decode(out.stderr).slice(-800)}`,
    };
  }
  const rows: MicroBenchRow[] = json.benches.map((b) => ({
    file,
    group: b.group ?? "",
    name: b.name,
    baseline: b.baseline === true,
    avgMs: (b.results[0]?.ok?.avg ?? NaN) / 1e6,
    ratio: NaN,
  }));
  for (const r of rows) {
    const base = rows.find((x) => x.group === r.group && x.baseline);
    if (base) r.ratio = r.avgMs / base.avgMs;
  }
  return { file, ok: out.success, seconds, rows, error: out.success ? undefined : `exit ${out.code}` };
}

/** Runs `files` in order; a failing or slow file is reported, never fatal. */
export async function runMicroBenches(files: string[], timeoutMs: number): Promise<MicroBenchFile[]> {
  const out: MicroBenchFile[] = [];
  for (const f of files) out.push(await runBenchFile(f, timeoutMs));
  return out;
}
