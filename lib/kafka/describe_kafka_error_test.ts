import assert from "node:assert/strict";
import { describeKafkaError } from "./describe_kafka_error.ts";

Deno.test("describeKafkaError surfaces nested reasons once each, and non-errors as text", () => {
  const timeout = new Error("Request timed out");
  const err = new AggregateError([timeout, new Error("Request timed out")], "Producing messages failed.");
  assert.equal(describeKafkaError(err), "Producing messages failed. (Request timed out)");
  assert.equal(
    describeKafkaError(new Error("outer", { cause: new Error("inner") })),
    "outer (inner)",
  );
  assert.equal(describeKafkaError("plain"), "plain");
});
