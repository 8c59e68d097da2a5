import assert from "node:assert/strict";
import { type ColdQueryFilter, filterColumns, needsRowCheck, rowMatches } from "./cold_query_filter.ts";

const FROM = new Date("2026-11-20T00:00:00Z");
const TO = new Date("2026-11-21T00:00:00Z");
const ROW = {
  ts: new Date("2026-11-20T12:00:00Z"),
  level: "error",
  component: "dfs.DataNode",
  content: "Disk FAILURE on sda",
  classification: "ANOMALY",
  host: "node-1",
  system: "hdfs",
  source: "hdfs.log",
  templateId: "t-7",
};

Deno.test("rowMatches: each filter narrows, the range is half-open", () => {
  const cases: [Partial<ColdQueryFilter>, boolean][] = [
    [{}, true],
    [{ from: ROW.ts }, true],
    [{ to: ROW.ts }, false],
    [{ levels: ["warn", "error"] }, true],
    [{ levels: ["info"] }, false],
    [{ component: "dfs.DataNode" }, true],
    [{ component: "dfs" }, false],
    [{ text: "disk failure" }, true],
    [{ text: "disk full" }, false],
    [{ classifications: ["ANOMALY", "CRITICAL_ANOMALY"] }, true],
    [{ classifications: ["NORMAL"] }, false],
    [{ host: "node-1" }, true],
    [{ host: "node-2" }, false],
    [{ system: "hdfs" }, true],
    [{ system: "bgl" }, false],
    [{ source: "hdfs.log" }, true],
    [{ source: "other.log" }, false],
    [{ templateId: "t-7" }, true],
    [{ templateId: "t-8" }, false],
  ];
  for (const [part, expected] of cases) {
    assert.equal(rowMatches(ROW, { from: FROM, to: TO, ...part }), expected, JSON.stringify(part));
  }
});

Deno.test("filterColumns and needsRowCheck: only the filtered columns are read; statistics-less filters force a row check", () => {
  const base = { from: FROM, to: TO };
  assert.deepEqual(filterColumns(base), ["ts", "level", "component"]);
  assert.equal(needsRowCheck({ ...base, levels: ["error"], component: "x" }), false);
  const all = {
    ...base,
    text: "x",
    classifications: ["ANOMALY"],
    host: "h",
    system: "s",
    source: "f",
    templateId: "t",
  };
  assert.deepEqual(filterColumns(all), [
    "ts",
    "level",
    "component",
    "content",
    "classification",
    "host",
    "system",
    "source",
    "templateId",
  ]);
  for (const key of ["text", "classifications", "host", "system", "source", "templateId"] as const) {
    assert.equal(needsRowCheck({ ...base, [key]: all[key] }), true, key);
  }
});
