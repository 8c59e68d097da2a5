import assert from "node:assert/strict";
import { installShutdownSignals } from "./shutdown_signals.ts";
import { until } from "../testing/until.ts";

Deno.test({
  name: "installShutdownSignals: first signal runs the handler then exits 0; a second forces an exit",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const exits: number[] = [];
    let release!: () => void;
    const handled = new Promise<void>((r) => release = r);
    let signalSeen: string | undefined;
    const uninstall = installShutdownSignals(async (signal) => {
      signalSeen = signal;
      await handled;
    }, { signals: ["SIGUSR2"], exit: (code) => void exits.push(code) });
    try {
      Deno.kill(Deno.pid, "SIGUSR2");
      await until(() => signalSeen !== undefined, { what: "the handler to see the first signal" });
      assert.equal(signalSeen, "SIGUSR2");
      assert.deepEqual(exits, [], "no exit while the handler runs");
      Deno.kill(Deno.pid, "SIGUSR2");
      await until(() => exits.length > 0, { what: "the second signal to force an exit" });
      assert.deepEqual(exits, [130]);
      release();
      await until(() => exits.length > 1, { what: "the exit after the handler finished" });
      assert.deepEqual(exits, [130, 0]);
    } finally {
      uninstall();
    }
  },
});
