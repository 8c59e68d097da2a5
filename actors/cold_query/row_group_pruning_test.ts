import assert from "node:assert/strict";
import type { RowGroup } from "hyparquet";
import type { ColdQueryFilter } from "./cold_query_filter.ts";
import { judgeRowGroup, type RowGroupVerdict } from "./row_group_pruning.ts";

/** A row group with min/max statistics per column (only what the judge reads). */
function group(stats: Record<string, [unknown, unknown]>, rows = 100): RowGroup {
  return {
    num_rows: BigInt(rows),
    columns: Object.entries(stats).map(([name, [min, max]]) => ({
      meta_data: { path_in_schema: [name], statistics: { min_value: min, max_value: max } },
    })),
  } as unknown as RowGroup;
}

const FROM = new Date("2026-11-20T00:00:00Z");
const TO = new Date("2026-11-21T00:00:00Z");
const G = group({
  ts: [new Date("2026-11-20T01:00:00Z"), new Date("2026-11-20T02:00:00Z")],
  level: ["error", "error"],
  component: ["CBS", "CBS"],
  classification: ["ANOMALY", "ANOMALY"],
  host: ["node-1", "node-3"],
  system: ["windows", "windows"],
  templateId: ["t-1", "t-5"],
});

Deno.test("judgeRowGroup: ts, level and component skip or prove a whole group; classification, host, system and templateId only skip", () => {
  const cases: [Partial<ColdQueryFilter>, RowGroupVerdict][] = [
    [{}, "all"],
    [{ levels: ["error"], component: "CBS" }, "all"],
    [{ levels: ["info"] }, "skip"],
    [{ component: "CSI" }, "skip"],
    [{ from: new Date("2026-11-20T03:00:00Z") }, "skip"],
    [{ classifications: ["ANOMALY"] }, "read"],
    [{ classifications: ["NORMAL", "CRITICAL_ANOMALY"] }, "skip"],
    [{ host: "node-2" }, "read"],
    [{ host: "node-4" }, "skip"],
    [{ system: "windows" }, "read"],
    [{ system: "hdfs" }, "skip"],
    [{ templateId: "t-3" }, "read"],
    [{ templateId: "t-9" }, "skip"],
    [{ source: "anything" }, "read"],
    [{ text: "disk" }, "read"],
  ];
  for (const [part, expected] of cases) {
    assert.equal(judgeRowGroup(G, { from: FROM, to: TO, ...part }, 64), expected, JSON.stringify(part));
  }
});
