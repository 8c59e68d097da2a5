import assert from "node:assert/strict";
import { LogEventSchema } from "./log_event.ts";
import { fastLogEvent, ISO_DATETIME } from "./log_event_fast_check.ts";
import { logEvent } from "../../testing/delivery_fixtures.ts";

Deno.test("ISO_DATETIME is zod's own z.iso.datetime() pattern", () => {
  const zodPattern = (LogEventSchema.shape.ts as unknown as { _zod: { pattern: RegExp } })._zod.pattern;
  assert.equal(ISO_DATETIME.source, zodPattern.source);
});

/** Valid events, and each kind of deviation from the schema (some valid to zod, some not). */
function cases(): unknown[] {
  const base = JSON.parse(JSON.stringify(logEvent(7))) as Record<string, unknown>;
  const mutate = (patch: Record<string, unknown>) => ({ ...base, ...patch });
  const without = (k: string) => {
    const c = { ...base };
    delete c[k];
    return c;
  };
  return [
    base,
    mutate({ parseError: "no match", flags: ["parse_error", "truncated"] }),
    mutate({ ts: "2024-02-29T23:59:59Z", ingestTs: "2026-12-03T21:00:00.123456Z", lineNo: 0, fields: {} }),
    mutate({ id: "x".repeat(256), host: "h".repeat(512), system: "s".repeat(128), content: "", raw: "" }),
    // Not LogEvents, or not plainly: zod decides.
    mutate({ ts: "2026-02-30T00:00:00Z" }),
    mutate({ ts: "2026-12-03T21:00:00+01:00" }),
    mutate({ ingestTs: 5 }),
    mutate({ v: 2 }),
    mutate({ id: "" }),
    mutate({ id: "x".repeat(257) }),
    mutate({ host: "h".repeat(513) }),
    mutate({ source: "s".repeat(4097) }),
    mutate({ component: "c".repeat(1025) }),
    mutate({ level: "WARN" }),
    mutate({ lineNo: -1 }),
    mutate({ lineNo: 1.5 }),
    mutate({ lineNo: "3" }),
    mutate({ flags: ["parse_error", "bogus"] }),
    mutate({ flags: "parse_error" }),
    mutate({ fields: { a: 1 } }),
    mutate({ fields: ["a"] }),
    mutate({ fields: null }),
    mutate({ parseError: 42 }),
    mutate({ extra: "stripped by zod" }),
    JSON.parse(JSON.stringify(base).replace('"fields":{', '"fields":{"__proto__":"x",')),
    without("raw"),
    without("flags"),
    null,
    [],
    "event",
    42,
  ];
}

Deno.test("fastLogEvent accepts only what LogEventSchema accepts, unchanged; every valid plain event", () => {
  let accepted = 0;
  for (const c of cases()) {
    const fast = fastLogEvent(c);
    const zod = LogEventSchema.safeParse(c);
    if (fast === undefined) continue;
    accepted++;
    assert.ok(zod.success, `fast accepted what zod rejects: ${JSON.stringify(c).slice(0, 200)}`);
    assert.deepEqual(fast, zod.data, "zod would return the same event");
  }
  assert.equal(accepted, 4, "the four valid events without extra keys take the fast path");
});
