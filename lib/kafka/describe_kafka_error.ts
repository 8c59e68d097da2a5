/**
 * Readable text for Kafka client errors: `@platformatic/kafka` reports "Producing messages failed." and nests
 * the real reason (timeout, broker unavailable, ...) in `errors` / `cause`.
 *
 * @module
 */

/** An error's message plus its nested causes/errors (up to 3 levels, 3 distinct reasons per level). */
export function describeKafkaError(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 3) return String(err);
  const inner = (err as { errors?: unknown[] }).errors ?? (err.cause !== undefined ? [err.cause] : []);
  const details = [...new Set(inner.map((e) => describeKafkaError(e, depth + 1)))].slice(0, 3);
  return details.length > 0 ? `${err.message} (${details.join("; ")})` : err.message;
}
