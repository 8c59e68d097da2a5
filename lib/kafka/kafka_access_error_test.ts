import assert from "node:assert/strict";
import { parseConfig } from "../config/vigil_config.ts";
import { KafkaAccessError, kafkaAccessProblem, rethrowAccessProblem } from "./kafka_access_error.ts";

/** The shape @platformatic/kafka reports: MultipleErrors → NetworkError → the reason, with `code`s. */
function clientError(reason: Error & { code?: string }): Error {
  const network = Object.assign(new Error("Connection to 127.0.0.1:9093 failed."), { cause: reason });
  const multiple = Object.assign(new Error("metadata failed 4 times."), { errors: [network] });
  return Object.assign(new Error("Listing topics failed."), { errors: [multiple] });
}

const config = parseConfig({
  kafka: {
    brokers: ["b1:9093"],
    securityProtocol: "sasl_ssl",
    sasl: { username: "vigil", password: "x-x-x" },
  },
});

Deno.test("kafkaAccessProblem names the setting of a refused login and of an untrusted certificate", () => {
  const login = clientError(
    Object.assign(new Error("SASL authentication failed."), { code: "PLT_KFK_AUTHENTICATION" }),
  );
  assert.equal(
    kafkaAccessProblem(login, config),
    'Kafka at b1:9093 refused the SASL login of user "vigil" (mechanism SCRAM-SHA-512): check kafka.sasl.username ' +
      "and kafka.sasl.password (env VIGIL_KAFKA_SASL_USERNAME, VIGIL_KAFKA_SASL_PASSWORD)",
  );
  const cert = clientError(
    Object.assign(new Error("self-signed certificate in certificate chain"), {
      code: "SELF_SIGNED_CERT_IN_CHAIN",
    }),
  );
  assert.match(
    kafkaAccessProblem(cert, config)!,
    /^Kafka at b1:9093 presented a TLS certificate that is not trusted \(self-signed certificate in certificate chain\): set kafka\.ssl\.caFile \(env VIGIL_KAFKA_SSL_CA_FILE\)/,
  );
  const down = clientError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
  assert.equal(kafkaAccessProblem(down, config), undefined, "a broker that is down is not an access problem");
  assert.throws(() => rethrowAccessProblem(login, config), KafkaAccessError);
  assert.throws(() => rethrowAccessProblem(down, config), (err: unknown) => err === down);
});
