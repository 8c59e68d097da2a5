import assert from "node:assert/strict";
import { feedbackAction, parseClassifyArgs, parseFeedbackCsv, runClassify } from "../../cli/classify.ts";
import { parseCsv } from "../../lib/parsing/csv.ts";

const loghub = new URL("../../../shared/loghub/", import.meta.url);

Deno.test("classify CLI: one row per line in order; BGL's Label column does not change a single output", async () => {
  const dir = await Deno.makeTempDir();
  const lines = (await Deno.readTextFile(new URL("BGL/BGL_2k.log", loghub))).split("\n").slice(0, 300);
  const blanked = lines.map((l) => l.replace(/^\S+/, "-"));
  await Deno.writeTextFile(`${dir}/a.log`, lines.join("\n") + "\n");
  await Deno.writeTextFile(`${dir}/b.log`, blanked.join("\n") + "\n");
  assert.equal(await runClassify({ input: `${dir}/a.log`, format: "bgl", output: `${dir}/a.csv` }), 300);
  await runClassify({ input: `${dir}/b.log`, format: "bgl", output: `${dir}/b.csv` });
  const a = parseCsv(await Deno.readTextFile(`${dir}/a.csv`)).filter((r) => r.length > 1);
  const b = parseCsv(await Deno.readTextFile(`${dir}/b.csv`)).filter((r) => r.length > 1);
  assert.deepEqual(a[0], ["LineId", "Label", "Score", "Reason", "IncidentId"]);
  assert.equal(a.length, 301);
  a.slice(1).forEach((r, i) => {
    assert.equal(r[0], String(i + 1));
    assert.ok(["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"].includes(r[1]));
    assert.ok(Number(r[2]) >= 0 && Number(r[2]) <= 1);
    assert.equal(r[1] === "NORMAL", r[4] === "", "flagged lines, and only they, name their incident");
  });
  // Incident ids differ (event ids derive from the file name); everything else is identical.
  assert.deepEqual(a.map((r) => r.slice(0, 4)), b.map((r) => r.slice(0, 4)));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("classify CLI: feedback on line i acts on its incident before line i+1", async () => {
  const dir = await Deno.makeTempDir();
  // A page-worthy failure opens a severity incident on its first line; "not a problem" on line 1 stops the
  // template's later lines from being flagged (the same template: a fatal line of another would still be).
  const line =
    "2016-09-28 04:30:31, Info                  CBS    Failed to commit package: No space left on device";
  await Deno.writeTextFile(`${dir}/w.log`, [line, line, line].join("\n") + "\n");
  await Deno.writeTextFile(`${dir}/fb.csv`, "LineId,Label\n1,NORMAL\n");
  await runClassify({ input: `${dir}/w.log`, format: "windows", output: `${dir}/plain.csv` });
  await runClassify({
    input: `${dir}/w.log`,
    format: "windows",
    output: `${dir}/w.csv`,
    feedback: `${dir}/fb.csv`,
  });
  const plain = parseCsv(await Deno.readTextFile(`${dir}/plain.csv`)).filter((r) => r.length > 1).slice(1);
  const rows = parseCsv(await Deno.readTextFile(`${dir}/w.csv`)).filter((r) => r.length > 1).slice(1);
  assert.deepEqual(plain.map((r) => r[1]), ["CRITICAL_ANOMALY", "CRITICAL_ANOMALY", "CRITICAL_ANOMALY"]);
  assert.equal(rows[0][1], "CRITICAL_ANOMALY");
  assert.deepEqual(rows.slice(1).map((r) => r[1]), ["NORMAL", "NORMAL"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("classify CLI: bad arguments and bad feedback rows are refused with a clear message", () => {
  assert.throws(() => parseClassifyArgs(["--input", "x"]), /--format is missing/);
  assert.throws(() => parseClassifyArgs(["--bogus", "1"]), /unknown/);
  assert.throws(() => parseFeedbackCsv("LineId,Label\n0,NORMAL\n"), /row 2 has LineId/);
  assert.throws(() => parseFeedbackCsv("LineId,Label\n3,MAYBE\n"), /row 2: .*label must be one of/);
  assert.equal(parseFeedbackCsv("LineId,Label\n3,confirmed\n").get(3), "confirmed");
  // Operators act on incidents: "normal" dismisses the line's incident, every other label confirms it.
  assert.deepEqual(["false_positive", "NORMAL", "confirmed", "critical", "ANOMALY"].map(feedbackAction), [
    "not_a_problem",
    "not_a_problem",
    "real_problem",
    "real_problem",
    "real_problem",
  ]);
});
