import assert from "node:assert/strict";
import { assertSafeListen } from "./assert_safe_listen.ts";

Deno.test("assertSafeListen allows loopback, and other hosts only with a token", () => {
  for (const host of ["127.0.0.1", "::1", "localhost"]) assertSafeListen(host, undefined);
  assertSafeListen("0.0.0.0", "0123456789abcdef");
  assert.throws(
    () => assertSafeListen("0.0.0.0", undefined),
    /Cannot listen on 0\.0\.0\.0 without an access token/,
  );
  assert.throws(() => assertSafeListen("10.1.2.3", "short"), RangeError);
});
