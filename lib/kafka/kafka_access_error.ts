/**
 * Kafka refusing vigil's credentials or vigil refusing the brokers' certificate: configuration mistakes that no
 * retry fixes, so they are reported at once in one line naming the setting to fix — instead of the client's
 * nested "metadata failed 4 times" chain, or a consumer that keeps reconnecting.
 *
 * @module
 */
import { envName, type VigilConfig } from "../config/vigil_config.ts";
import { isCertificateError, untrustedCertificateHint } from "../config/tls_files.ts";

/** Thrown when Kafka rejects the SASL login or its TLS certificate is not trusted; the message names the setting. */
export class KafkaAccessError extends Error {
  override name = "KafkaAccessError";
}

function* errorTree(err: unknown, depth = 0): Generator<Error> {
  if (!(err instanceof Error) || depth > 8) return;
  yield err;
  const inner = (err as { errors?: unknown[] }).errors ?? (err.cause !== undefined ? [err.cause] : []);
  for (const e of inner) yield* errorTree(e, depth + 1);
}

/**
 * The access problem inside a Kafka client error (its nested `errors` / `cause`), as one line naming the
 * setting and its variable; undefined when the error is something else (e.g. a broker that is down).
 *
 * @param err an error of `@platformatic/kafka`
 * @param config the configuration the client was made from
 */
export function kafkaAccessProblem(err: unknown, config: VigilConfig): string | undefined {
  const where = `Kafka at ${config.kafka.brokers.join(",")}`;
  for (const e of errorTree(err)) {
    const code = String((e as { code?: unknown }).code ?? "");
    if (code === "PLT_KFK_AUTHENTICATION") {
      const { mechanism, username } = config.kafka.sasl;
      const vars = `${envName(["kafka", "sasl", "username"])}, ${envName(["kafka", "sasl", "password"])}`;
      return `${where} refused the SASL login of user ${
        JSON.stringify(username)
      } (mechanism ${mechanism.toUpperCase()}): check kafka.sasl.username and kafka.sasl.password (env ${vars})`;
    }
    if (isCertificateError(e)) {
      return `${where} presented a TLS certificate that is not trusted (${e.message}): ${
        untrustedCertificateHint("kafka.ssl")
      }`;
    }
  }
  return undefined;
}

/**
 * Rethrows a Kafka client error as a {@link KafkaAccessError} when it is an access problem, unchanged otherwise.
 *
 * @param err the client's error
 * @param config the configuration the client was made from
 */
export function rethrowAccessProblem(err: unknown, config: VigilConfig): never {
  const problem = kafkaAccessProblem(err, config);
  // No `cause`: the client's chain would only bury the one line that matters in error reports.
  if (problem !== undefined) throw new KafkaAccessError(problem);
  throw err;
}
