import assert from "node:assert/strict";
import {
  KAFKA_CONTROLLER_PORT,
  KAFKA_PORT,
  kafkaServerProperties,
  kafkaService,
  newClusterId,
} from "./kafka_service.ts";
import { servicePaths } from "./stack_paths.ts";

Deno.test("kafka service: the stack's broker keeps its ports, folders and marker", () => {
  const s = kafkaService();
  const paths = servicePaths("kafka");
  assert.equal(s.endpoint, `127.0.0.1:${KAFKA_PORT}`);
  assert.deepEqual(s.ports, [KAFKA_PORT, KAFKA_CONTROLLER_PORT]);
  assert.deepEqual(s.paths, paths);
  assert.equal(s.marker, `-Dvigil.stack=${paths.home}`);
  const props = kafkaServerProperties(paths.data);
  assert.match(props, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:9092,CONTROLLER:\/\/127\.0\.0\.1:9093$/m);
  assert.match(props, /^controller\.quorum\.bootstrap\.servers=127\.0\.0\.1:9093$/m);
});

Deno.test("kafka service: another node gets its own ports, folders and marker, and the stack's jars", () => {
  const home = "/tmp/other-kafka";
  const paths = { ...servicePaths("kafka"), home, data: `${home}/data`, pidFile: `${home}/pid` };
  const s = kafkaService({ ports: { client: 19092, controller: 19093 }, paths });
  assert.equal(s.endpoint, "127.0.0.1:19092");
  assert.deepEqual(s.ports, [19092, 19093]);
  assert.equal(s.marker, `-Dvigil.stack=${home}`);
  assert.notEqual(s.marker, kafkaService().marker, "never mistaken for the stack's broker");
  assert.equal(s.paths.lib, servicePaths("kafka").lib);
  const props = kafkaServerProperties(paths.data, { client: 19092, controller: 19093 });
  assert.match(props, /^listeners=PLAINTEXT:\/\/127\.0\.0\.1:19092,CONTROLLER:\/\/127\.0\.0\.1:19093$/m);
  assert.match(props, /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:19092,/m);
  assert.match(props, /^log\.dirs=\/tmp\/other-kafka\/data$/m);
  assert.doesNotMatch(props, /:909[23]\b/, "no stack port");
});

Deno.test("a cluster id is 22 URL-safe base64 characters and never starts with '-' (the storage tool reads it as an option)", () => {
  // One id in 64 would start with '-' if not redrawn: 20,000 draws would miss that with probability ~e^-312.
  for (let i = 0; i < 20_000; i++) {
    const id = newClusterId();
    assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/, id);
  }
});
