/**
 * Bounds a smoke-test step in time so a missing or hung service fails the test with a message that says
 * what to check, instead of hanging the run.
 *
 * @module
 */

/**
 * Resolves with `work`'s value, or rejects after `ms` milliseconds with a message naming `what`.
 *
 * @param work the step to bound
 * @param ms the bound in milliseconds
 * @param what a description of the step, e.g. "Kafka round trip on 127.0.0.1:9092"
 * @throws {Error} `"<what> did not finish within N s ..."` on timeout (the step's own error otherwise)
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `${what} did not finish within ${ms / 1000} s: is the local stack healthy? ` +
              "Run 'deno task stack status' and 'deno task stack logs'.",
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
