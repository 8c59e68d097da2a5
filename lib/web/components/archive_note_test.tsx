import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ArchiveNote } from "./archive_note.tsx";
import type { ArchiveStatus } from "../search_with_archive.ts";

const base: ArchiveStatus = {
  state: "answered",
  hotWindowStart: "2026-11-27T00:00:00.000Z",
  from: "2016-09-28T04:30:00.000Z",
  to: "2016-09-29T02:05:00.000Z",
  caveats: [],
  tookMs: 36,
};

Deno.test("ArchiveNote: shown when the archive matched events or is missing, not when it matched nothing", () => {
  assert.equal(renderToString(<ArchiveNote status={undefined} />), "");
  // A replayed 2016 file: its range lies before the hot window, the hot tier holds it, the archive found 0.
  assert.equal(renderToString(<ArchiveNote status={{ ...base, total: 0 }} counted="in the charts" />), "");
  const answered = renderToString(<ArchiveNote status={{ ...base, total: 60 }} counted="in the charts" />);
  assert.match(answered, /data-archive="answered"/);
  assert.match(answered, /60 in the charts/);
  const missing = renderToString(
    <ArchiveNote status={{ ...base, state: "partial", reason: "connection refused" }} />,
  );
  assert.match(missing, /data-archive="partial"/);
  assert.match(missing, /connection refused/);
});
