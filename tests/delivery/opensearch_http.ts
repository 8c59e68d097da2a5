/**
 * Plain HTTP calls to the local stack's OpenSearch for delivery tests that check what the hot sink stored
 * (`VIGIL_HOT_URL`, default `http://127.0.0.1:9200`).
 *
 * @module
 */

const HOT_URL = Deno.env.get("VIGIL_HOT_URL") ?? "http://127.0.0.1:9200";

/** Sends one request and returns its JSON answer (errors are answers too: the caller asserts on them). */
export async function os(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${HOT_URL}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return await res.json();
}

/** Documents in the indices matching `pattern`, after a refresh. */
export async function count(pattern: string): Promise<number> {
  await os("POST", `/${pattern}/_refresh`);
  return (await os("GET", `/${pattern}/_count`)).count as number;
}
