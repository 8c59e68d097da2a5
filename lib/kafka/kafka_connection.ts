/**
 * The one connection configuration of every Kafka client vigil opens (producer, engine consumer, DLQ and
 * live-topic producers, admin): TLS and SASL from `kafka.securityProtocol`, `kafka.ssl` and `kafka.sasl`,
 * mapped to `@platformatic/kafka`'s `tls` / `sasl` options.
 *
 * @module
 */
import type { ConnectionOptions as TlsConnectionOptions } from "node:tls";
import type { SASLOptions } from "@platformatic/kafka";
import type { VigilConfig } from "../config/vigil_config.ts";
import { nodeTlsOptions } from "../config/tls_files.ts";

/** The connection part of a client's options. */
export interface KafkaConnectionOptions {
  /** TLS options of `node:tls` (absent: plaintext). */
  tls?: TlsConnectionOptions;
  /** SASL authentication (absent: none). */
  sasl?: SASLOptions;
}

const MECHANISMS = {
  "plain": "PLAIN",
  "scram-sha-256": "SCRAM-SHA-256",
  "scram-sha-512": "SCRAM-SHA-512",
} as const;

/**
 * The `tls` / `sasl` options for `config.kafka`'s security protocol. CA, certificate and key files are read
 * here (at client creation), so a missing file fails at once naming its setting.
 *
 * @param config vigil's configuration
 * @throws {Error} naming the setting and its variable when a PEM file cannot be read
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "../config/vigil_config.ts";
 * import { kafkaConnectionOptions } from "./kafka_connection.ts";
 * const config = parseConfig({
 *   kafka: { securityProtocol: "sasl_plaintext", sasl: { mechanism: "plain", username: "u", password: "p4ss" } },
 * });
 * assert.deepEqual(kafkaConnectionOptions(config), { sasl: { mechanism: "PLAIN", username: "u", password: "p4ss" } });
 * ```
 */
export function kafkaConnectionOptions(config: VigilConfig): KafkaConnectionOptions {
  const { securityProtocol, ssl, sasl } = config.kafka;
  const out: KafkaConnectionOptions = {};
  if (securityProtocol === "ssl" || securityProtocol === "sasl_ssl") {
    // TLS even when nothing is configured: the system's CAs then verify the brokers.
    out.tls = nodeTlsOptions(ssl, "kafka.ssl") ?? {};
  }
  if (securityProtocol === "sasl_plaintext" || securityProtocol === "sasl_ssl") {
    out.sasl = { mechanism: MECHANISMS[sasl.mechanism], username: sasl.username, password: sasl.password };
  }
  return out;
}
