import assert from "node:assert/strict";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { coldSinkOptionsFromConfig } from "./config.ts";

Deno.test("coldSinkOptionsFromConfig: the cold buffer flushes before the source's in-flight limit stops it", () => {
  const defaults = coldSinkOptionsFromConfig(parseConfig({}, {}));
  assert.equal(defaults.maxEvents, 100_000, "defaults fit: 100k buffered < 200k in flight");
  const tight = coldSinkOptionsFromConfig(parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT: "20000" }));
  assert.equal(tight.maxEvents, 10_000);
  const tiny = coldSinkOptionsFromConfig(parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT: "1" }));
  assert.equal(tiny.maxEvents, 1);
  const explicit = coldSinkOptionsFromConfig(
    parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT: "20000", VIGIL_COLD_MAX_EVENTS: "500" }),
  );
  assert.equal(explicit.maxEvents, 500, "a smaller cold.maxEvents is kept");
});
