import assert from "node:assert/strict";
import { runClassify } from "../../cli/classify.ts";
import { parseIncidentsArgs, runIncidents } from "../../cli/incidents.ts";
import { parseCsv } from "../../lib/parsing/csv.ts";
import { IncidentSchema } from "../../lib/incidents/incident.ts";

const loghub = new URL("../../../shared/loghub/", import.meta.url);

Deno.test("incidents CLI: one JSON incident per line with every line of it; labels agree with classify", async () => {
  const dir = await Deno.makeTempDir();
  const input = new URL("Hadoop/Hadoop_2k.log", loghub).pathname;
  const r = await runIncidents({ input, format: "hadoop", output: `${dir}/i.jsonl` });
  const rows = (await Deno.readTextFile(`${dir}/i.jsonl`)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(rows.length, r.incidents);
  assert.ok(rows.length > 0, "the sample's fatal lines open an incident");
  for (const row of rows) {
    IncidentSchema.parse(row);
    assert.ok(Array.isArray(row.lineIds) && row.lineIds.length === row.count, row.id);
    assert.ok(row.lineIds.every((n: number) => Number.isInteger(n) && n >= 1 && n <= 2000));
  }
  // deno task classify on the same file flags exactly the lines of the incidents, naming the same incidents.
  await runClassify({ input, format: "hadoop", output: `${dir}/c.csv` });
  const csv = parseCsv(await Deno.readTextFile(`${dir}/c.csv`)).filter((c) => c.length > 1).slice(1);
  const flagged = new Map(csv.filter((c) => c[1] !== "NORMAL").map((c) => [Number(c[0]), c[4]]));
  const inIncidents = new Map<number, string>();
  for (const row of rows) for (const n of row.lineIds) if (!inIncidents.has(n)) inIncidents.set(n, row.id);
  assert.deepEqual([...flagged.keys()].sort((a, b) => a - b), [...inIncidents.keys()].sort((a, b) => a - b));
  for (const [n, id] of flagged) {
    assert.ok(rows.some((r) => r.id === id && r.lineIds.includes(n)), `line ${n}`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("incidents CLI: bad arguments are refused with the usage", () => {
  assert.throws(() => parseIncidentsArgs(["--input", "x", "--format", "y"]), /--output is missing/);
  assert.throws(
    () =>
      parseIncidentsArgs([
        "--input",
        "x",
        "--format",
        "y",
        "--output",
        "o",
        "--detectors",
        "severity,psychic",
      ]),
    /detector "psychic" is unknown/,
  );
  assert.deepEqual(
    parseIncidentsArgs(["--input", "x", "--format", "y", "--output", "o", "--detectors", "rate,silence"])
      .detectors,
    ["rate", "silence"],
  );
});
