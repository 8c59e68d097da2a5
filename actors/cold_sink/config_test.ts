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

Deno.test("coldSinkOptionsFromConfig: the cold buffer's bytes are written before the source's byte bound stops it", () => {
  const tight = coldSinkOptionsFromConfig(parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT_BYTES: "1000000" }));
  assert.equal(tight.maxBytes, 500_000, "half of what may be in flight");
  const tiny = coldSinkOptionsFromConfig(parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT_BYTES: "1" }));
  assert.equal(tiny.maxBytes, 1);
  const explicit = coldSinkOptionsFromConfig(
    parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT_BYTES: "1000000", VIGIL_COLD_MAX_BYTES: "4096" }),
  );
  assert.equal(explicit.maxBytes, 4096, "a smaller cold.maxBytes is kept");
  assert.throws(
    () => parseConfig({}, { VIGIL_DELIVERY_MAX_IN_FLIGHT_BYTES: "0" }),
    /maxInFlightBytes/,
    "a bound of 0 would stop the source for good",
  );
});
