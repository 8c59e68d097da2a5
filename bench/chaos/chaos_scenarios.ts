/**
 * The chaos scenarios: each injects one fault while events with known ids are produced. Outages cut the
 * network with a TCP proxy between the engine and the service (tests/delivery/tcp_proxy.ts), so the shared
 * OpenSearch and S3 keep serving everyone else.
 *
 * @module
 */
import { TcpProxy } from "../../tests/delivery/tcp_proxy.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { EventMaker } from "../suite/event_feeder.ts";
import type { ChaosContext, ChaosScenario, HostileItem } from "./chaos_harness.ts";

/** Options shared by the scenarios. */
export interface ScenarioOptions {
  /** Length of the OpenSearch / S3 outages, s. Default 30. */
  outageSeconds: number;
  /** kill -9 count in the crash scenario. Default 3. */
  kills: number;
}

/** Waits until the current engine has delivered at least `n` events to the hot tier (max 60 s). */
async function delivered(ctx: ChaosContext, n: number): Promise<void> {
  await ctx.engine.until((s) => s.hot >= n, 60_000);
}

/** kill -9 the engine `kills` times while events flow, restarting it each time. */
export function killScenario(kills: number): ChaosScenario {
  return {
    name: `kill9x${kills}`,
    rate: 500,
    seconds: 6 + 5 * kills,
    async fault(ctx) {
      for (let k = 0; k < kills; k++) {
        await delivered(ctx, 300);
        await ctx.sleep(500 + Math.random() * 1000);
        const s = ctx.engine.status;
        ctx.note(`kill -9 #${k + 1}: engine had consumed ${s?.consumed}, hot ${s?.hot}, cold ${s?.cold}`);
        await ctx.engine.kill9();
        await ctx.restart();
      }
    },
  };
}

/** SIGTERM mid-run (the graceful path: drain, flush, commit), then a new engine. */
export function sigtermScenario(): ChaosScenario {
  return {
    name: "sigterm",
    rate: 500,
    seconds: 12,
    async fault(ctx) {
      await delivered(ctx, 1000);
      const t = performance.now();
      const status = await ctx.engine.stop();
      ctx.note(`SIGTERM: exit code ${status.code} after ${((performance.now() - t) / 1000).toFixed(1)} s`);
      if (status.code !== 0) throw new Error(`graceful stop failed with exit code ${status.code}`);
      await ctx.restart();
    },
  };
}

/** A service unreachable for `seconds` (its TCP proxy cut), events flowing meanwhile. */
function outageScenario(
  name: string,
  target: { hostname: string; port: number },
  envKey: string,
  scheme: string,
  seconds: number,
): ChaosScenario {
  let proxy: TcpProxy | undefined;
  return {
    name,
    rate: 400,
    seconds: seconds + 10,
    setup() {
      proxy = TcpProxy.start(target);
      return { [envKey]: `${scheme}://127.0.0.1:${proxy.port}` };
    },
    async fault(ctx) {
      await delivered(ctx, 500);
      proxy!.down();
      ctx.note(`${name}: cut at ${ctx.produced()} produced`);
      await ctx.sleep(seconds * 1000);
      const s = ctx.engine.status;
      ctx.note(
        `${name}: restored after ${seconds} s; engine then: consumed ${s?.consumed}, hot ${s?.hot}, cold ${s?.cold}, paused ${s?.paused}, hot healthy ${s?.hotHealthy}, cold healthy ${s?.coldHealthy}`,
      );
      proxy!.up();
    },
    teardown() {
      proxy?.down();
    },
  };
}

/** OpenSearch unreachable for `seconds`. */
export function opensearchOutage(seconds: number): ChaosScenario {
  return outageScenario(
    `opensearch-down-${seconds}s`,
    { hostname: "127.0.0.1", port: 9200 },
    "VIGIL_HOT_URL",
    "http",
    seconds,
  );
}

/** S3 unreachable for `seconds`. */
export function s3Outage(seconds: number): ChaosScenario {
  return outageScenario(
    `s3-down-${seconds}s`,
    { hostname: "127.0.0.1", port: 7070 },
    "VIGIL_S3_ENDPOINT",
    "http",
    seconds,
  );
}

/**
 * A bad-input corpus mixed into a normal stream: not JSON, binary, invalid UTF-8, NUL bytes, JSON that is not
 * a LogEvent, and LogEvents with HTML/script, hostile field names (`_id`, `__proto__`, dots), 2 000 fields,
 * timestamps in the far past/future, a ~900 KB line. Each must be delivered or dead-lettered, exactly once.
 */
export function badInputScenario(): ChaosScenario {
  return {
    name: "bad-input",
    rate: 300,
    seconds: 8,
    async fault(ctx) {
      await ctx.sleep(2000);
      const maker = new EventMaker("bad-input-hostile-");
      let n = 0;
      const event = (what: string, patch: (e: LogEvent) => void): HostileItem => {
        const e = maker.make(n++);
        patch(e);
        return { key: e.id, value: JSON.stringify(e), mustDeadLetter: false, what };
      };
      const garbage = (what: string, value: string | Uint8Array): HostileItem => ({
        key: `bad-input-garbage-${n++}`,
        value,
        mustDeadLetter: true,
        what,
      });
      const binary = new Uint8Array(512);
      crypto.getRandomValues(binary);
      const items: HostileItem[] = [
        garbage("not JSON", "this is not json"),
        garbage("truncated JSON", '{"v":1,"id":"x"'),
        garbage("binary", binary),
        garbage("invalid UTF-8", new Uint8Array([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x7d])),
        garbage("NUL bytes", "\u0000\u0000{\u0000}"),
        garbage("JSON null", "null"),
        garbage("JSON array", "[1,2,3]"),
        garbage("JSON without LogEvent fields", '{"hello":"world"}'),
        garbage("empty", ""),
        event("HTML/script content", (e) => {
          e.content = `<script>alert("x")</script><img src=x onerror=alert(1)> ${e.content}`;
        }),
        event("hostile field names", (e) => {
          e.fields = JSON.parse(
            '{"_id":"x","__proto__":"p","constructor":"c","a.b.c":"d","":"empty","_source":"s"}',
          );
        }),
        event("2000 fields", (e) => {
          e.fields = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, `v${i}`]));
        }),
        event("far past timestamp", (e) => {
          e.ts = "0001-01-01T00:00:00.000Z";
        }),
        event("far future timestamp", (e) => {
          e.ts = "9999-12-31T23:59:59.999Z";
        }),
        event("NUL and U+FFFD in content", (e) => {
          e.content = `a\u0000b\uFFFDc ${e.content}`;
        }),
        event("~900 KB content", (e) => {
          e.content = "x".repeat(900_000);
          e.raw = e.content;
        }),
      ];
      await ctx.sendHostile(items);
      ctx.note(`sent ${items.length} hostile messages`);
    },
  };
}
