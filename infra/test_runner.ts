/**
 * `deno task test [deno test args...]`: THE test command. Ensures the local stack is up (starting what is
 * down), runs `deno test -A --doc` with the given arguments (e.g. a path or `--filter`), prints the plain
 * `N passed, N failed` line CI reads, and stops only the services it started — the stack is left as found
 * (through a lease: when other runs still use the stack, the last one to finish stops them).
 *
 * `--doc`: every doc-comment (and Markdown) code example not marked `ignore` is type-checked and run as a test
 * of its own (named `<file>#<lines>.ts`), so it counts in the `N passed, N failed` line like any test. Mark an
 * example that needs the services, runs forever or is a fragment ```ts ignore.
 *
 * Exit code: deno test's own when it failed; 1 when no test ran or the stack could not start; else 0.
 * Set `VIGIL_TEST_NO_STACK=1` to run tests without touching the stack (pure unit tests).
 *
 * Tests and benches keep their data in test namespaces (`testing/test_namespace.ts`). With the stack, the
 * runner first sweeps test namespaces that killed runs left (older than 3 hours), then checks that the
 * product's namespace (`vigil-*` indices, the `vigil` bucket) got nothing new during the run: it prints what
 * changed, and under `CI=true` counts a change as one failed test (locally a `deno task start` beside the tests
 * may be what wrote it).
 *
 * @module
 */
import { formatPlainLine, parseDenoTestSummary, plainCounts } from "./deno_test_summary.ts";
import { acquireStack, type StackLease } from "./stack_lease.ts";
import { StackError } from "./stack_error.ts";
import { REPO_ROOT } from "./stack_paths.ts";
import {
  productNamespaceChanges,
  type ProductNamespaceSnapshot,
  productNamespaceSnapshot,
} from "../testing/product_namespace_check.ts";
import { sweepStaleTestNamespaces } from "../testing/sweep_test_namespaces.ts";

/** Runs deno test (doc examples included), mirroring its stdout while keeping a copy to parse. */
async function runDenoTest(args: string[]): Promise<{ code: number; stdout: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--doc", ...args],
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = () => {
    try {
      child.kill("SIGINT");
    } catch { /* already exited */ }
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  const decoder = new TextDecoder();
  let stdout = "";
  try {
    for await (const chunk of child.stdout) {
      await Deno.stdout.write(chunk);
      stdout += decoder.decode(chunk, { stream: true });
      // Only the end matters for the summary; keep memory bounded on huge outputs.
      if (stdout.length > 4_000_000) stdout = stdout.slice(-1_000_000);
    }
    return { code: (await child.status).code, stdout };
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
}

/** Sweeps stale test namespaces and takes the product namespace's snapshot (undefined when it cannot). */
async function prepareNamespaces(): Promise<ProductNamespaceSnapshot | undefined> {
  try {
    const swept = await sweepStaleTestNamespaces();
    if (swept.indices.length + swept.templates.length + swept.objects > 0) {
      console.log(
        `namespace: swept what earlier runs left: ${swept.indices.length} indices, ${swept.templates.length} ` +
          `index templates, ${swept.objects} objects`,
      );
    }
    return await productNamespaceSnapshot();
  } catch (err) {
    console.error(
      `namespace: cannot check the product's namespace: ${err instanceof Error ? err.message : err}`,
    );
    return undefined;
  }
}

/** Prints whether the product's namespace got anything new since `before`; true when it did. */
async function reportProductNamespace(before: ProductNamespaceSnapshot): Promise<boolean> {
  let changes: string[];
  try {
    changes = productNamespaceChanges(before, await productNamespaceSnapshot());
  } catch (err) {
    console.error(
      `namespace: cannot check the product's namespace: ${err instanceof Error ? err.message : err}`,
    );
    return false;
  }
  if (changes.length === 0) {
    console.log(`namespace: the product's ${before.where} got nothing new from this run`);
    return false;
  }
  console.error(
    `namespace: the product's ${before.where} changed during this run (a test writing outside its ` +
      `testing/test_namespace.ts namespace, or a product run beside the tests):\n  ${
        changes.slice(0, 20).join("\n  ")
      }${changes.length > 20 ? `\n  … ${changes.length - 20} more` : ""}`,
  );
  return true;
}

/** Runs the whole test command and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const useStack = Deno.env.get("VIGIL_TEST_NO_STACK") !== "1";
  const log = (line: string) => console.log(`stack: ${line}`);
  const secs = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
  let lease: StackLease | undefined;
  if (useStack) {
    const t0 = performance.now();
    try {
      lease = await acquireStack([], log);
    } catch (err) {
      if (!(err instanceof StackError)) throw err;
      console.error(`stack: ${err.message}`);
      console.log("0 passed, 1 failed");
      return 1;
    }
    if (lease.started.length > 0) {
      console.log(`stack: started ${lease.started.join(", ")} for this run in ${secs(t0)} s`);
    }
  }
  let before: ProductNamespaceSnapshot | undefined;
  if (useStack) before = await prepareNamespaces();
  let result: { code: number; stdout: string };
  let namespaceChanged = false;
  const t1 = performance.now();
  try {
    result = await runDenoTest(args);
    console.log(`deno test took ${secs(t1)} s`);
    if (before) namespaceChanged = await reportProductNamespace(before);
  } finally {
    // Stops what this run started unless another run (or `deno task start`) still uses the stack.
    await lease?.release();
  }
  const summary = parseDenoTestSummary(result.stdout);
  if (!summary) {
    console.error("deno test printed no summary (a module failed to load or type-check; see above)");
    console.log("0 passed, 1 failed");
    return result.code === 0 ? 1 : result.code;
  }
  const counts = plainCounts(summary);
  if (namespaceChanged && Deno.env.get("CI") === "true") counts.failed += 1;
  if (counts.passed + counts.failed === 0) {
    console.error("no test was executed (check the path or --filter given to deno task test)");
    console.log(formatPlainLine(counts));
    return 1;
  }
  console.log(formatPlainLine(counts));
  if (counts.failed > 0 && result.code === 0) return 1;
  return result.code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
