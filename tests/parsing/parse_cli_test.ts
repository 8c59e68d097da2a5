/** `deno task parse` end to end on a shared Loghub file and on hostile input. */
import assert from "node:assert/strict";
import { main } from "../../cli/parse.ts";
import { parseCsv } from "../../lib/parsing/csv.ts";
import { groupingAccuracy, LOGHUB_DIR } from "../../testing/grouping_accuracy.ts";

Deno.test("parse CLI: Windows 2k → Loghub structured CSV, same grouping as the ground truth", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/out.csv`;
    const input = new URL("Windows/Windows_2k.log", LOGHUB_DIR).pathname;
    assert.equal(await main(["--input", input, "--format", "windows", "--output", out]), 0);
    const rows = parseCsv(await Deno.readTextFile(out));
    assert.deepEqual(rows[0], [
      "LineId",
      "Date",
      "Time",
      "Level",
      "Component",
      "Content",
      "EventId",
      "EventTemplate",
    ]);
    assert.equal(rows.length, 2001);
    assert.deepEqual(rows.slice(1).map((r) => r[0]), Array.from({ length: 2000 }, (_, i) => String(i + 1)));
    const truth = parseCsv(
      await Deno.readTextFile(new URL("Windows/Windows_2k.log_structured.csv", LOGHUB_DIR)),
    );
    assert.deepEqual(
      rows.slice(1).map((r) => r[5]),
      truth.slice(1).map((r) => r[5]),
      "Content equals Loghub's",
    );
    assert.ok(groupingAccuracy(rows.slice(1).map((r) => r[6]), truth.slice(1).map((r) => r[6])) >= 0.997);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parse CLI: hostile bytes and gzip; bad arguments exit 2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('2020-01-01 00:00:00 ERROR app: quote " and, comma\r\n'),
      0xff,
      0x00,
      10,
      10,
      ...new TextEncoder().encode("2020-01-01 00:00:01 INFO app: ok"),
    ]);
    const gz = new Uint8Array(
      await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
    );
    await Deno.writeFile(`${dir}/in.log.gz`, gz);
    const code = await main([
      "--input",
      `${dir}/in.log.gz`,
      "--format",
      "<Date> <Time> <Level> <Component>: <Content>",
      "--output",
      `${dir}/o.csv`,
    ]);
    assert.equal(code, 0);
    const rows = parseCsv(await Deno.readTextFile(`${dir}/o.csv`));
    assert.equal(rows.length, 4); // header + 3 events (the empty line is skipped)
    assert.equal(rows[1][5], 'quote " and, comma');
    assert.equal(rows[2][0], "2");
    assert.equal(rows[2][5], "\uFFFD\uFFFD"); // unmatched line: raw kept as content, fields empty
    assert.equal(await main(["--input", "x"]), 2);
    assert.equal(await main(["--input", "x", "--format", "nosuch", "--output", "y"]), 2);
    assert.equal(await main(["--input", `${dir}/missing`, "--format", "hdfs", "--output", `${dir}/y`]), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
