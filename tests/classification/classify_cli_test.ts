import assert from "node:assert/strict";
import {
  ClassifySummary,
  feedbackAction,
  parseClassifyArgs,
  parseFeedbackCsv,
  runClassify,
} from "../../cli/classify.ts";
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
  assert.deepEqual(a[0], ["LineId", "Label", "Score", "Reason", "IncidentId", "Template"]);
  assert.equal(a.length, 301);
  a.slice(1).forEach((r, i) => {
    assert.equal(r[0], String(i + 1));
    assert.ok(["NORMAL", "ANOMALY", "CRITICAL_ANOMALY"].includes(r[1]));
    assert.ok(Number(r[2]) >= 0 && Number(r[2]) <= 1);
    assert.equal(r[1] === "NORMAL", r[4] === "", "flagged lines, and only they, name their incident");
    assert.ok(r[5].length > 0, `line ${r[0]} has no template`);
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

Deno.test("classify CLI: the CSV names each line's template; the summary counts labels, flagged templates and incidents", async () => {
  const dir = await Deno.makeTempDir();
  const fail =
    "2016-09-28 04:30:31, Info                  CBS    Failed to commit package: No space left on device";
  const ok = (i: number) =>
    `2016-09-28 04:30:${
      String(32 + i).padStart(2, "0")
    }, Info                  CBS    Loaded Servicing Stack v6.1.${i}`;
  await Deno.writeTextFile(`${dir}/w.log`, [ok(1), fail, ok(2), fail, fail, ok(3)].join("\n") + "\n");
  let summary = "";
  const n = await runClassify(
    { input: `${dir}/w.log`, format: "windows", output: `${dir}/w.csv` },
    (text) => summary = text,
  );
  assert.equal(n, 6);
  const rows = parseCsv(await Deno.readTextFile(`${dir}/w.csv`)).filter((r) => r.length > 1).slice(1);
  assert.deepEqual(rows.map((r) => r[1]), [
    "NORMAL",
    "CRITICAL_ANOMALY",
    "NORMAL",
    "CRITICAL_ANOMALY",
    "CRITICAL_ANOMALY",
    "NORMAL",
  ]);
  assert.equal(rows[1][5], "Failed to commit package: No space left on device");
  assert.match(rows[0][5], /^Loaded Servicing Stack /);
  const incident = rows[1][4];
  assert.ok(incident);
  assert.match(summary, /^classify: 6 lines → .*w\.csv$/m);
  assert.match(
    summary,
    /by label: NORMAL 3 \(50\.0%\), ANOMALY 0 \(0\.0%\), CRITICAL_ANOMALY 3 \(50\.0%\); flagged 3/,
  );
  assert.match(
    summary,
    /top flagged templates \(1 in all\):\n +3 {2}Failed to commit package: No space left on device {2}\(first line 2, 3 critical\)/,
  );
  assert.match(summary, new RegExp(`incidents referenced: 1\\n +3 {2}${incident} {2}lines 2–5 {2}\\S`));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("classify summary: most flagged templates first, clipped, top N, incidents by line count", () => {
  const s = new ClassifySummary();
  const add = (lineNo: number, classification: string, template: string, incidentId?: string) =>
    s.add({ lineNo, classification, template, incidentId });
  add(1, "NORMAL", "ok <*>");
  add(2, "ANOMALY", "rare <*>", "inc-a");
  add(3, "CRITICAL_ANOMALY", "x".repeat(300), "inc-b");
  add(4, "CRITICAL_ANOMALY", "x".repeat(300), "inc-b");
  const text = s.format("out.csv", new Map([["inc-b", "Burst of x"]]), 1);
  assert.match(text, /NORMAL 1 \(25\.0%\), ANOMALY 1 \(25\.0%\), CRITICAL_ANOMALY 2 \(50\.0%\); flagged 3/);
  assert.match(text, /top flagged templates \(2 in all\):\n +2 {2}x{99}… {2}\(first line 3, 2 critical\)$/m);
  assert.ok(!text.includes("rare <*>"), "only the top 1 is listed");
  assert.match(text, /incidents referenced: 2\n +2 {2}inc-b {2}lines 3–4 {2}Burst of x$/);
});
