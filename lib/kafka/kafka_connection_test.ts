import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import { kafkaConnectionOptions } from "./kafka_connection.ts";

Deno.test("kafkaConnectionOptions: plaintext adds nothing; ssl reads the CA; sasl_ssl adds the mechanism", async () => {
  assert.deepEqual(kafkaConnectionOptions(parseConfig({})), {});
  const dir = await Deno.makeTempDir();
  try {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    await Deno.writeTextFile(`${dir}/ca.pem`, pem);
    const tlsOnly = kafkaConnectionOptions(
      parseConfig({ kafka: { securityProtocol: "ssl", ssl: { caFile: `${dir}/ca.pem` } } }),
    );
    assert.deepEqual(tlsOnly, { tls: { ca: pem, rejectUnauthorized: true } });
    const both = kafkaConnectionOptions(parseConfig({
      kafka: {
        securityProtocol: "sasl_ssl",
        ssl: { caFile: `${dir}/ca.pem` },
        sasl: { mechanism: "scram-sha-512", username: "u", password: "p4ss" },
      },
    }));
    assert.deepEqual(both.sasl, { mechanism: "SCRAM-SHA-512", username: "u", password: "p4ss" });
    assert.equal(both.tls?.ca, pem);
    await Deno.writeTextFile(`${dir}/not.pem`, "hello");
    assert.throws(
      () =>
        kafkaConnectionOptions(
          parseConfig({ kafka: { securityProtocol: "ssl", ssl: { caFile: `${dir}/not.pem` } } }),
        ),
      /Cannot use kafka\.ssl\.caFile \(env VIGIL_KAFKA_SSL_CA_FILE\) .*not\.pem: it holds no PEM block/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assert.throws(
    () =>
      kafkaConnectionOptions(
        parseConfig({ kafka: { securityProtocol: "ssl", ssl: { caFile: "/no/such/ca.pem" } } }),
      ),
    /Cannot read kafka\.ssl\.caFile \(env VIGIL_KAFKA_SSL_CA_FILE\) \/no\/such\/ca\.pem/,
  );
});
