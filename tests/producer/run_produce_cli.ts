/**
 * Test helper: runs the producer CLI as a user would, for the producer tests.
 *
 * @module
 */

/** Runs `deno task produce ARGS` from the repository root; returns exit code and stderr. */
export async function runProduceCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "produce", ...args],
    cwd: new URL("../..", import.meta.url).pathname,
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}
