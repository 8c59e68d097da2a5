/**
 * The dashboard URL that opens exactly a range of event time — what `deno task start` prints once a file has
 * been produced, so its events are one click away whatever their dates.
 *
 * @module
 */

/**
 * The base URL a browser on this host reaches the dashboard at: a wildcard listen address (`0.0.0.0`, `::`)
 * becomes `localhost`, an IPv6 address gets its brackets.
 *
 * @param host the dashboard's listen host
 * @param port its port
 */
export function dashboardBaseUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" || host === ""
    ? "localhost"
    : host.includes(":")
    ? `[${host}]`
    : host;
  return `http://${h}:${port}/`;
}

/**
 * The dashboard URL of a custom window covering `from`…`to` (event time, ISO), padded by a second each side so
 * the first and last events are inside the window whatever the rounding.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dashboardRangeUrl } from "./dashboard_range_url.ts";
 * assert.equal(
 *   dashboardRangeUrl("http://localhost:8000/", "2016-09-28T04:30:30.000Z", "2016-09-29T02:04:00.000Z"),
 *   "http://localhost:8000/?range=custom&from=2016-09-28T04%3A30%3A29.000Z&to=2016-09-29T02%3A04%3A01.000Z",
 * );
 * ```
 *
 * @param base the dashboard's URL (`http://host:port/`)
 * @param from earliest event time
 * @param to latest event time
 * @param path the page, default the Overview (`/`); `/events` opens the explorer
 * @throws {RangeError} when a time is not a valid date
 */
export function dashboardRangeUrl(base: string, from: string, to: string, path = "/"): string {
  const first = Date.parse(from);
  const last = Date.parse(to);
  if (!Number.isFinite(first) || !Number.isFinite(last)) {
    throw new RangeError(
      `Cannot build a dashboard range from ${JSON.stringify(from)} to ${JSON.stringify(to)}`,
    );
  }
  const lo = Math.min(first, last);
  const hi = Math.max(first, last);
  const url = new URL(path, base);
  url.searchParams.set("range", "custom");
  url.searchParams.set("from", new Date(Math.floor(lo / 1000) * 1000 - 1000).toISOString());
  url.searchParams.set("to", new Date(Math.ceil(hi / 1000) * 1000 + 1000).toISOString());
  return url.toString();
}
