import assert from "node:assert/strict";
import { detectSeverity } from "./severity_detector.ts";
import { testInput } from "./test_inputs.ts";

Deno.test("severity: a fatal line with failure wording is critical; fatal alone is an anomaly", () => {
  const critical = detectSeverity(testInput({ tsMs: 0, level: "fatal", semantics: true }));
  assert.equal(critical?.severity, "CRITICAL_ANOMALY");
  assert.equal(critical?.scope, "t:t1");
  const plain = detectSeverity(testInput({ tsMs: 0, level: "critical" }));
  assert.equal(plain?.severity, "ANOMALY");
  assert.deepEqual(plain?.reasons, ["level critical"]);
});

Deno.test("severity: ordinary levels say nothing, and a level inferred from words does not count", () => {
  assert.equal(detectSeverity(testInput({ tsMs: 0, level: "error", semantics: true })), undefined);
  assert.equal(detectSeverity(testInput({ tsMs: 0, level: "fatal", inferredLevel: true })), undefined);
});

Deno.test("severity: page-worthy failures page whatever the level", () => {
  for (
    const content of [
      "Kernel panic - not syncing: Fatal exception",
      "Out of memory: Killed process 4242 (java)",
      "EXT4-fs error (device sda1): ext4_journal_check_start: Detected aborted journal",
      "Remounting filesystem read-only",
      "write failed: No space left on device",
    ]
  ) {
    const s = detectSeverity(testInput({ tsMs: 0, level: "info", content }));
    assert.equal(s?.severity, "CRITICAL_ANOMALY", content);
    assert.match(s!.reasons[0], /^page-worthy failure: /);
  }
  // Ordinary lines that merely contain alarming words are not paged.
  for (
    const content of ["Ending the TrustedInstaller main loop.", "Idle processing thread terminated normally"]
  ) {
    assert.equal(detectSeverity(testInput({ tsMs: 0, level: "info", content, semantics: true })), undefined);
  }
});

Deno.test("severity: a hostile 1 MB line is scanned in bounded time", () => {
  const content = "oom ".repeat(250_000) + "killed process 1";
  const t = performance.now();
  detectSeverity(testInput({ tsMs: 0, content }));
  assert.ok(performance.now() - t < 1000, "scans only the head of a message");
});
