/** `deno task start` refuses to expose the dashboard beyond loopback without an access token. */
import assert from "node:assert/strict";

const START = new URL("../../cli/start.ts", import.meta.url).pathname;

Deno.test("start: VIGIL_WEB_HOST=0.0.0.0 without a token exits 2 before starting anything", async () => {
  const env: Record<string, string> = { ...Deno.env.toObject(), VIGIL_WEB_HOST: "0.0.0.0" };
  delete env.VIGIL_WEB_ACCESS_TOKEN;
  // --no-stack: if the check were missing, start would go on to Kafka and the engine instead of exiting 2.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", START, "--no-stack"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 2, stderr);
  assert.match(stderr, /Cannot listen on 0\.0\.0\.0 without an access token/);
});
