import assert from "node:assert/strict";
import { parseWindowQuery } from "../window_query.ts";
import { newestDataUrl, newestDataWindow } from "./newest_data_hint.tsx";

Deno.test("newestDataUrl keeps the window's width and the page's parameters, and is a valid window query", () => {
  const now = new Date("2026-11-29T04:00:00Z");
  const { window } = parseWindowQuery(new URLSearchParams("range=6h"), now, "15m");
  const url = new URL("http://x/events?level=error&page=3&range=6h");
  const link = newestDataUrl(url, "2016-09-28T04:30:12.000Z", window);
  assert.equal(
    link,
    "/events?level=error&range=custom&from=2016-09-27T22%3A31&to=2016-09-28T04%3A31",
  );
  const parsed = new URL(link, "http://x").searchParams;
  parsed.delete("level");
  const moved = parseWindowQuery(parsed, now, "15m").window;
  assert.deepEqual(moved, { range: "custom", ...newestDataWindow("2016-09-28T04:30:12.000Z", window) });
  assert.ok(moved.from.getTime() <= Date.parse("2016-09-28T04:30:12Z"));
});
