import assert from "node:assert/strict";
import { installShutdownSignals } from "./shutdown_signals.ts";

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
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(signalSeen, "SIGUSR2");
      assert.deepEqual(exits, []);
      Deno.kill(Deno.pid, "SIGUSR2");
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(exits, [130]);
      release();
      await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(exits, [130, 0]);
    } finally {
      uninstall();
    }
  },
});
