/**
 * Where the OpenTelemetry Python SDK runs for the ingest tests and the ingest outage scenario: a venv under
 * `.vigil/otel-venv` (installed by `.ci/run`, or by hand:
 * `python3 -m venv .vigil/otel-venv && .vigil/otel-venv/bin/pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http`),
 * and the sender script that exports log records through the SDK's OTLP/HTTP exporter
 * ({@link OTLP_PYTHON_SENDER}). A test that needs it is ignored with a message when the venv is missing.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;

/** The venv's Python. */
export const OTEL_PYTHON = `${ROOT}.vigil/otel-venv/bin/python`;

/** The sender script: `OTEL_PYTHON OTLP_PYTHON_SENDER ENDPOINT N [TOKEN]` (see the script's own doc). */
export const OTLP_PYTHON_SENDER = new URL("./otlp_python_sender.py", import.meta.url).pathname;

/**
 * Whether the venv is there; when it is not, warns once naming the caller and how to install it.
 *
 * @param who the test or scenario that needs the SDK, named in the warning
 * @returns true when {@link OTEL_PYTHON} exists
 */
export async function hasOtelPython(who: string): Promise<boolean> {
  const present = await Deno.stat(OTEL_PYTHON).then(() => true, () => false);
  if (!present) {
    console.warn(
      `${who}: ${OTEL_PYTHON} is missing (python3 -m venv .vigil/otel-venv && .vigil/otel-venv/bin/pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http)`,
    );
  }
  return present;
}
