import assert from "node:assert/strict";
import { MAX_SYSTEMS } from "./bounded_lru.ts";
import { SilenceDetector } from "./silence_detector.ts";

const T0 = Date.UTC(2026, 0, 1);

/** Feeds `seconds` of a steady component (every 200 ms) and a busy other component (every 50 ms). */
function feed(d: SilenceDetector, fromMs: number, seconds: number, quiet: boolean, warn = false) {
  const changes = [];
  for (let t = 0; t < seconds * 1000; t += 50) {
    if (!quiet && t % 200 === 0) changes.push(...d.observe("sys", "steady", "h1", fromMs + t, warn));
    changes.push(...d.observe("sys", "other", "h1", fromMs + t));
    changes.push(...d.check("sys"));
  }
  return changes;
}

Deno.test("silence: a steady component that stops while the system goes on is noticed, then resolved", () => {
  const d = new SilenceDetector();
  assert.deepEqual(feed(d, T0, 400, false), [], "steady traffic");
  const silent = feed(d, T0 + 400_000, 30, true);
  assert.equal(silent.length, 1, "one silence for the fleet (its single host is not repeated)");
  assert.equal(silent[0].kind, "silent");
  assert.equal(silent[0].signal.host, "*");
  assert.equal(silent[0].signal.severity, "CRITICAL_ANOMALY");
  const resumed = feed(d, T0 + 430_000, 1, false);
  assert.deepEqual(resumed.map((c) => c.kind), ["resumed"]);
});

Deno.test("silence: the end of the stream, or a jump in a sampled log, is not a silence", () => {
  const d = new SilenceDetector();
  feed(d, T0, 400, false);
  // The whole system stops for a day, then logs again: the active clock counts at most 10 s of it.
  assert.deepEqual(feed(d, T0 + 86_400_000, 1, false).filter((c) => c.kind === "silent"), []);
});

Deno.test("silence: too young, too sparse or mostly-warning components never fall silent", () => {
  const young = new SilenceDetector();
  feed(young, T0, 60, false);
  assert.deepEqual(feed(young, T0 + 60_000, 60, true), [], "under minSpanMs of history");
  const warnings = new SilenceDetector();
  feed(warnings, T0, 400, false, true);
  assert.deepEqual(
    feed(warnings, T0 + 400_000, 60, true),
    [],
    "a thread that only speaks when things go wrong",
  );
});

Deno.test("silence: a component silent on one host of several is that host's silence", () => {
  const d = new SilenceDetector();
  const out = [];
  for (let t = 0; t < 460_000; t += 50) {
    for (const h of ["h1", "h2"]) {
      if (!(h === "h2" && t >= 400_000) && t % 200 === 0) out.push(...d.observe("sys", "steady", h, T0 + t));
    }
    out.push(...d.check("sys"));
  }
  const silent = out.filter((c) => c.kind === "silent");
  assert.equal(silent.length, 1);
  assert.equal(silent[0].signal.host, "h2");
});

Deno.test("silence: a component silent on every host is one silence, even as its hosts come back apart", () => {
  const d = new SilenceDetector();
  const out = [];
  // Three hosts log `steady` every 200 ms; it stops everywhere at 400 s for 60 s, then its hosts come back
  // 1, 4 and 8 s later; `busy` keeps the system's clock going. h3 never comes back after a later point.
  const back: Record<string, number> = { h1: 461_000, h2: 464_000, h3: 468_000 };
  for (let t = 0; t < 700_000; t += 50) {
    out.push(...d.observe("sys", "busy", "h0", T0 + t));
    for (const h of ["h1", "h2", "h3"]) {
      const quiet = (t >= 400_000 && t < back[h]) || (h === "h3" && t >= 600_000);
      if (!quiet && t % 200 === 0) out.push(...d.observe("sys", "steady", h, T0 + t));
    }
    out.push(...d.check("sys"));
  }
  const silent = out.filter((c) => c.kind === "silent").map((c) => [c.signal.host, c.lastMs - T0]);
  // The outage: one fleet silence, no per-host one for the hosts that came back late. Later, h3 alone.
  assert.deepEqual(silent.map(([h]) => h), ["*", "h3"]);
  assert.ok((silent[1][1] as number) >= 600_000 - 200);
});

Deno.test("silence: per-system clocks stay bounded however many system names a stream invents", () => {
  const d = new SilenceDetector();
  for (let i = 0; i < MAX_SYSTEMS + 50; i++) {
    d.observe(`sys-${i}`, "c", "h", T0 + i);
    d.check(`sys-${i}`);
  }
  assert.ok(d.evicted >= 150, `watermarks, clocks and checks each forgot 50: ${d.evicted}`);
  assert.ok(d.toJSON().watermarks.length <= MAX_SYSTEMS);
  assert.ok((d.toJSON().clocks ?? []).length <= MAX_SYSTEMS);
});
