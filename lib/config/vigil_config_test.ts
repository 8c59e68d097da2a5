import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseConfig } from "./vigil_config.ts";
import { detectionOptionsFromConfig } from "../incidents/detection_config.ts";

Deno.test("defaults point at the local stack", () => {
  const config = parseConfig({});
  assert.deepEqual(config.kafka.brokers, ["127.0.0.1:9092"]);
  assert.equal(config.hot.url, "http://127.0.0.1:9200");
  assert.equal(config.s3.endpoint, "http://127.0.0.1:7070");
  assert.equal(config.engine.mailbox.whenFull, "block");
});

Deno.test("environment variables override the file, lists split on commas", () => {
  const config = parseConfig(
    { kafka: { brokers: ["file:9092"], topic: "from-file" }, web: { port: 1234 } },
    {
      VIGIL_KAFKA_BROKERS: "a:9092, b:9092",
      VIGIL_HOT_URL: "https://search.example:9200",
      VIGIL_S3_ACCESS_KEY_ID: "AKIA",
      VIGIL_ENGINE_MAILBOX_CAPACITY: "128",
      VIGIL_KAFKA_FROM_BEGINNING: "false",
    },
  );
  assert.deepEqual(config.kafka.brokers, ["a:9092", "b:9092"]);
  assert.equal(config.kafka.topic, "from-file");
  assert.equal(config.hot.url, "https://search.example:9200");
  assert.equal(config.s3.accessKeyId, "AKIA");
  assert.equal(config.engine.mailbox.capacity, 128);
  assert.equal(config.kafka.fromBeginning, false);
  assert.equal(config.web.port, 1234);
});

Deno.test("invalid values fail naming the key, its variable and the expected form", () => {
  assert.throws(
    () =>
      parseConfig({ web: { port: 70000 } }, { VIGIL_HOT_URL: "not a url", VIGIL_S3_BUCKET: "Bad_Bucket" }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /web\.port \(env VIGIL_WEB_PORT\)/);
      assert.match(err.message, /hot\.url \(env VIGIL_HOT_URL\): Invalid URL/);
      assert.match(err.message, /s3\.bucket \(env VIGIL_S3_BUCKET\): .*S3 bucket name/);
      return true;
    },
  );
  assert.throws(() => parseConfig([1, 2]), /must hold a JSON object/);
  assert.throws(
    () => parseConfig({ engine: { mailbox: { whenFull: "grow" } } }),
    /engine\.mailbox\.whenFull/,
  );
});

Deno.test("loadConfig reads a file and reports a malformed one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = `${dir}/good.json`;
    await Deno.writeTextFile(good, JSON.stringify({ kafka: { topic: "t1" } }));
    assert.equal((await loadConfig(good)).kafka.topic, "t1");
    const bad = `${dir}/bad.json`;
    await Deno.writeTextFile(bad, "{ not json");
    await assert.rejects(
      loadConfig(bad),
      (err: unknown) => err instanceof ConfigError && /bad\.json/.test(err.message),
    );
    // A missing file is not an error: defaults apply.
    assert.equal((await loadConfig(`${dir}/absent.json`)).kafka.topic, "vigil.events");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("incidents.modelThreshold reaches the model detector; out of (0, 1] is refused", () => {
  const config = parseConfig({}, { VIGIL_INCIDENTS_MODEL_THRESHOLD: "0.95" });
  assert.equal(config.incidents.modelThreshold, 0.95);
  assert.deepEqual(detectionOptionsFromConfig(config).model, { threshold: 0.95 });
  assert.equal(parseConfig({}).incidents.modelThreshold, 0.9);
  assert.throws(() => parseConfig({ incidents: { modelThreshold: 0 } }), /incidents\.modelThreshold/);
  assert.throws(() => parseConfig({ incidents: { modelThreshold: 1.5 } }), /incidents\.modelThreshold/);
});

Deno.test("producer.retime: off by default, 'now' from the file or VIGIL_PRODUCER_RETIME, nothing else", () => {
  assert.equal(parseConfig({}).producer.retime, "off");
  assert.equal(parseConfig({ producer: { retime: "now" } }).producer.retime, "now");
  assert.equal(parseConfig({}, { VIGIL_PRODUCER_RETIME: "now" }).producer.retime, "now");
  assert.throws(() => parseConfig({ producer: { retime: "later" } }), /producer\.retime/);
});

Deno.test("Kafka SASL over TLS: settings from variables, the password from a *_FILE, checked across keys", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/password`, "from-the-file\n");
    const config = parseConfig({}, {
      VIGIL_KAFKA_SECURITY_PROTOCOL: "sasl_ssl",
      VIGIL_KAFKA_SASL_MECHANISM: "scram-sha-256",
      VIGIL_KAFKA_SASL_USERNAME: "vigil",
      VIGIL_KAFKA_SASL_PASSWORD_FILE: `${dir}/password`,
      VIGIL_KAFKA_SSL_CA_FILE: "/etc/kafka/ca.pem",
    });
    assert.equal(config.kafka.securityProtocol, "sasl_ssl");
    assert.deepEqual(config.kafka.sasl, {
      mechanism: "scram-sha-256",
      username: "vigil",
      password: "from-the-file",
    });
    assert.deepEqual(config.kafka.ssl, { caFile: "/etc/kafka/ca.pem", rejectUnauthorized: true });
    // The variable itself wins over its file.
    assert.equal(
      parseConfig({}, {
        VIGIL_KAFKA_SASL_PASSWORD: "direct",
        VIGIL_KAFKA_SASL_PASSWORD_FILE: `${dir}/password`,
      }).kafka.sasl.password,
      "direct",
    );
    assert.throws(
      () => parseConfig({}, { VIGIL_HOT_PASSWORD_FILE: `${dir}/missing` }),
      (err: unknown) => err instanceof ConfigError && /cannot read VIGIL_HOT_PASSWORD_FILE/.test(err.message),
    );
    // *_FILE is for secrets only: other keys keep their own variable.
    assert.equal(parseConfig({}, { VIGIL_KAFKA_TOPIC_FILE: `${dir}/password` }).kafka.topic, "vigil.events");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(
    () => parseConfig({ kafka: { securityProtocol: "sasl_plaintext", sasl: { username: "u" } } }),
    (err: unknown) =>
      err instanceof ConfigError &&
      /kafka\.sasl\.password \(env VIGIL_KAFKA_SASL_PASSWORD\): required with securityProtocol sasl_plaintext/
        .test(err.message),
  );
  assert.throws(
    () => parseConfig({ kafka: { ssl: { certFile: "/c.pem" } } }),
    (err: unknown) =>
      err instanceof ConfigError && /kafka\.ssl\.keyFile \(env VIGIL_KAFKA_SSL_KEY_FILE\)/.test(err.message),
  );
  assert.throws(
    () => parseConfig({}, { VIGIL_KAFKA_SECURITY_PROTOCOL: "ssl_sasl" }),
    (err: unknown) => err instanceof ConfigError && /VIGIL_KAFKA_SECURITY_PROTOCOL/.test(err.message),
  );
  assert.equal(parseConfig({}).kafka.securityProtocol, "plaintext");
});

Deno.test("hot tier: TLS settings, and an API key only for Elasticsearch and not beside a user", () => {
  const config = parseConfig({}, {
    VIGIL_HOT_KIND: "elasticsearch",
    VIGIL_HOT_API_KEY: "a2V5",
    VIGIL_HOT_TLS_CA_FILE: "/ca.pem",
    VIGIL_HOT_TLS_REJECT_UNAUTHORIZED: "false",
  });
  assert.equal(config.hot.apiKey, "a2V5");
  assert.deepEqual(config.hot.tls, { caFile: "/ca.pem", rejectUnauthorized: false });
  assert.throws(
    () => parseConfig({}, { VIGIL_HOT_API_KEY: "a2V5" }),
    (err: unknown) =>
      err instanceof ConfigError && /hot\.apiKey.*set hot\.kind to elasticsearch/.test(err.message),
  );
  assert.throws(
    () =>
      parseConfig({}, {
        VIGIL_HOT_KIND: "elasticsearch",
        VIGIL_HOT_API_KEY: "a2V5",
        VIGIL_HOT_USERNAME: "u",
      }),
    (err: unknown) => err instanceof ConfigError && /either apiKey or username/.test(err.message),
  );
});

Deno.test("s3.tls: a private CA for the cold tier's endpoint; a certificate needs its key", () => {
  const config = parseConfig({}, {
    VIGIL_S3_ENDPOINT: "https://s3.internal:9000",
    VIGIL_S3_TLS_CA_FILE: "/ca.pem",
  });
  assert.deepEqual(config.s3.tls, { caFile: "/ca.pem", rejectUnauthorized: true });
  assert.throws(
    () => parseConfig({ s3: { tls: { keyFile: "/k.pem" } } }),
    (err: unknown) =>
      err instanceof ConfigError && /s3\.tls\.certFile \(env VIGIL_S3_TLS_CERT_FILE\)/.test(err.message),
  );
});
