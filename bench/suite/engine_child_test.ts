import assert from "node:assert/strict";
import { engineRoot, engineV8Flags } from "./engine_child.ts";

Deno.test("engineV8Flags: the engine task's V8 flags, none when the task has none or deno.json is missing", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(
      `${dir}/deno.json`,
      JSON.stringify({ tasks: { engine: "deno run -A --v8-flags=--heap-growing-percent=25 cli/engine.ts" } }),
    );
    assert.deepEqual(engineV8Flags(`${dir}/`), ["--v8-flags=--heap-growing-percent=25"]);
    Deno.writeTextFileSync(
      `${dir}/deno.json`,
      JSON.stringify({ tasks: { engine: "deno run -A cli/engine.ts" } }),
    );
    assert.deepEqual(engineV8Flags(`${dir}/`), []);
    assert.deepEqual(engineV8Flags(`${dir}/elsewhere/`), []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("engineV8Flags: `deno task start` runs the engine with the same V8 flags as `deno task engine`", () => {
  const tasks =
    (JSON.parse(Deno.readTextFileSync(`${engineRoot()}deno.json`)) as { tasks: Record<string, string> })
      .tasks;
  const flags = (task: string) => task.split(/\s+/).filter((a) => a.startsWith("--v8-flags="));
  assert.deepEqual(flags(tasks.start), engineV8Flags(engineRoot()));
});
