import assert from "node:assert/strict";
import { formatWindowsLine, SyntheticWindowsSource, WINDOWS_TEMPLATE_KEYS } from "./synthetic_windows.ts";
import { formatLabelRow, LABEL_CSV_HEADER, parseLabelCsv } from "./synthetic_labels.ts";

const LINE_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}, (Info|Warning|Error) +(CBS|CSI|DPX|DISM) +\S.*$/;

function take(source: SyntheticWindowsSource, n: number) {
  return Array.from({ length: n }, () => source.next());
}

Deno.test("lines have the CBS.log shape: level padded to 22, component to 7", () => {
  assert.equal(
    formatWindowsLine(
      Date.UTC(2016, 8, 28, 4, 30, 31),
      "Info",
      "CBS",
      "Starting TrustedInstaller initialization.",
    ),
    "2016-09-28 04:30:31, Info                  CBS    Starting TrustedInstaller initialization.",
  );
  for (const l of take(new SyntheticWindowsSource({ seed: 3 }), 5000)) assert.match(l.line, LINE_SHAPE);
});

Deno.test("equal seeds give equal lines and labels; other seeds differ", () => {
  const a = take(new SyntheticWindowsSource({ seed: 42, anomalies: { every: 200 } }), 3000);
  const b = take(new SyntheticWindowsSource({ seed: 42, anomalies: { every: 200 } }), 3000);
  const c = take(new SyntheticWindowsSource({ seed: 43, anomalies: { every: 200 } }), 3000);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.map((x) => x.line), c.map((x) => x.line));
});

Deno.test("the template sequence does not depend on the rate; timestamps advance at about the rate", () => {
  const slow = take(new SyntheticWindowsSource({ seed: 5, rate: 10, anomalies: false }), 2000);
  const fast = take(new SyntheticWindowsSource({ seed: 5, rate: 1000, anomalies: false }), 2000);
  assert.deepEqual(slow.map((l) => l.label.templateKey), fast.map((l) => l.label.templateKey));
  const spanS = (fast[1999].timeMs - fast[0].timeMs) / 1000;
  assert.ok(spanS > 1.8 && spanS < 2.2, `2000 lines at 1000/s should span ~2 s, spanned ${spanS}`);
});

Deno.test("without anomalies every line is NORMAL, ≥ 40 templates occur with a Zipf-like long tail", () => {
  const lines = take(new SyntheticWindowsSource({ seed: 11, anomalies: false }), 100_000);
  assert.ok(
    lines.every((l) => l.label.label === "NORMAL" && l.label.kind === "none" && l.label.episode === 0),
  );
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.label.templateKey, (counts.get(l.label.templateKey) ?? 0) + 1);
  assert.ok(counts.size >= 40, `only ${counts.size} templates`);
  for (const k of WINDOWS_TEMPLATE_KEYS.novel) {
    assert.equal(counts.get(k), undefined, `${k} must never be normal`);
  }
  const sorted = [...counts.values()].sort((x, y) => y - x);
  assert.ok(sorted[0] > 0.3 * lines.length, "the head template dominates");
  assert.ok(sorted.filter((c) => c < 0.005 * lines.length).length >= 20, "a long tail of rare templates");
});

Deno.test("scheduled episodes: labels, episode ids and records agree", () => {
  const source = new SyntheticWindowsSource({
    seed: 9,
    rate: 100,
    anomalies: {
      schedule: [
        { kind: "error_burst", atLine: 100 },
        { kind: "novel_failure", atLine: 500 },
        { kind: "rate_spike", atLine: 1000 },
        { kind: "silent_component", atLine: 3000 },
      ],
    },
  });
  const lines = take(source, 12_000);
  const episodes = source.episodes();
  assert.deepEqual(episodes.map((e) => e.kind), [
    "error_burst",
    "novel_failure",
    "rate_spike",
    "silent_component",
  ]);
  const [burst, novel, spike, silence] = episodes;
  assert.equal(burst.firstLine, 100);
  assert.equal(novel.firstLine, 500);
  const inRange = (e: typeof burst) => lines.slice(e.firstLine - 1, e.lastLine);
  const burstLines = inRange(burst).filter((l) => l.label.kind === "error_burst");
  assert.ok(burstLines.length >= 20 && burstLines.length <= 150);
  assert.ok(burstLines.every((l) => l.label.label === "ANOMALY" && l.label.episode === 1));
  assert.ok(burstLines.every((l) => burst.templates!.includes(l.label.templateKey)));
  assert.ok(
    inRange(novel).every((l) => l.label.label === "CRITICAL_ANOMALY" && l.label.kind === "novel_failure"),
  );
  assert.ok(inRange(spike).every((l) => l.label.label === "ANOMALY" && l.label.kind === "rate_spike"));
  // The spike really raises the event rate.
  const spikeRate = (spike.lastLine - spike.firstLine) /
    ((Date.parse(spike.end) - Date.parse(spike.start)) / 1000);
  assert.ok(spikeRate > 3 * 100, `spike rate ${spikeRate}`);
  // Silence: no line of the component, the others stay NORMAL and carry the episode id.
  const silent = inRange(silence);
  assert.ok(silent.length > 100);
  assert.ok(
    silent.every((l) => l.label.component !== "CSI" && l.label.label === "NORMAL" && l.label.episode === 4),
  );
  // Outside episodes, everything is NORMAL with episode 0.
  const covered = new Set(
    episodes.flatMap((e) => Array.from({ length: e.lastLine - e.firstLine + 1 }, (_, i) => e.firstLine + i)),
  );
  assert.ok(
    lines.filter((l) => !covered.has(l.lineNo)).every((l) =>
      l.label.label === "NORMAL" && l.label.episode === 0
    ),
  );
});

Deno.test("random episodes cycle through all kinds", () => {
  const source = new SyntheticWindowsSource({ seed: 2, rate: 1000, anomalies: { every: 300 } });
  take(source, 60_000);
  const kinds = new Set(source.episodes().map((e) => e.kind));
  assert.deepEqual(kinds, new Set(["error_burst", "novel_failure", "rate_spike", "silent_component"]));
});

Deno.test("label rows round-trip through the CSV format", () => {
  const lines = take(new SyntheticWindowsSource({ seed: 1, anomalies: { every: 100 } }), 2000);
  const csv = [LABEL_CSV_HEADER, ...lines.map((l) => formatLabelRow(l.label))].join("\n") + "\n";
  assert.deepEqual(parseLabelCsv(csv), lines.map((l) => l.label));
  assert.throws(() => parseLabelCsv("nope\n"), SyntaxError);
  assert.throws(() => parseLabelCsv(`${LABEL_CSV_HEADER}\n1,BAD,none,0,CBS,x\n`), SyntaxError);
});

Deno.test("bad options throw RangeError with the value", () => {
  assert.throws(
    () => new SyntheticWindowsSource({ rate: 0 }),
    /rate must be a positive number: current value is 0/,
  );
  assert.throws(() => new SyntheticWindowsSource({ anomalies: { burstLines: [10, 5] } }), RangeError);
  assert.throws(() => new SyntheticWindowsSource({ anomalies: { every: 0 } }), RangeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new SyntheticWindowsSource({ anomalies: { kinds: ["meteor" as any] } }), RangeError);
});

Deno.test("a fleet: activities spread over hosts with a skew; host 0 logs what a single host would", () => {
  const fleet = take(
    new SyntheticWindowsSource({ seed: 8, hosts: 5, hostPrefix: "WIN", anomalies: false }),
    20_000,
  );
  const counts = new Map<string, number>();
  for (const l of fleet) counts.set(l.host, (counts.get(l.host) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort(), ["WIN-01", "WIN-02", "WIN-03", "WIN-04", "WIN-05"]);
  assert.ok(counts.get("WIN-01")! > counts.get("WIN-05")!);
  const single = take(new SyntheticWindowsSource({ seed: 8, anomalies: false }), 100);
  assert.ok(single.every((l) => l.host === "WIN-SRV"));
  assert.throws(
    () => new SyntheticWindowsSource({ hosts: 0 }),
    /hosts must be an integer in 1..10000: current value is 0/,
  );
});
