/**
 * Issue 11's goals for incidents that are stable (deterministic inputs, deterministic code): asserted at the
 * goal, not at today's measurement. Validation data only — BGL is a test set and is reported by
 * `deno task eval`, never asserted here.
 */
import assert from "node:assert/strict";
import {
  closeEval,
  detect,
  loghubEvents,
  openEval,
  scoreEpisodes,
  syntheticSet,
  systemIncidents,
  VALIDATION_SYSTEMS,
} from "../../models/evaluate_incidents.ts";

const loghub = new URL("../../../shared/loghub/", import.meta.url);

/** Shared systems whose samples hold attacks or injected failures (SSH brute force; Hadoop's failure runs). */
const WITH_EPISODES = new Set(["OpenSSH", "Linux", "Hadoop"]);

Deno.test("incident goals: ≤ 1 critical per 2k lines on every shared system, ≤ 5 incidents on those without episodes", async () => {
  const ctx = await openEval(loghub);
  try {
    for (const system of VALIDATION_SYSTEMS) {
      const r = await systemIncidents(ctx, system);
      assert.ok(r.critical <= 1, `${system}: ${r.critical} critical`);
      if (!WITH_EPISODES.has(system)) {
        assert.ok(r.incidents <= 5, `${system}: ${r.incidents} incidents (${r.top.join(" · ")})`);
      }
    }
  } finally {
    closeEval(ctx);
  }
});

Deno.test("incident goals: the SSH brute force of OpenSSH_2k is an incident naming 183.62.140.253", async () => {
  const ctx = await openEval(loghub);
  try {
    const run = await detect(ctx, await loghubEvents(ctx, "OpenSSH"));
    const attack = run.incidents.find((i) => i.detector === "entity" && i.title.includes("183.62.140.253"));
    assert.ok(attack !== undefined, run.incidents.map((i) => i.title).join(" · "));
    assert.ok(attack.count >= 100, `${attack.count} lines`);
    assert.match(attack.reasons[0], /183\.62\.140\.253 in \d+ min; users tried: .*root/);
    assert.ok(run.incidents.length <= 10, `${run.incidents.length} incidents for one file`);
  } finally {
    closeEval(ctx);
  }
});

Deno.test("incident goals: synthetic episodes open within 30 s (≥ 95 %), ≤ 1 false incident per hour; clean traffic ≤ 1 per hour", async () => {
  const ctx = await openEval(loghub);
  try {
    let detected = 0, episodes = 0, falseIncidents = 0, hours = 0;
    const missed: string[] = [];
    for (const seed of [101, 102, 103, 104]) {
      const set = syntheticSet(seed, 200_000);
      const run = await detect(ctx, set);
      const m = scoreEpisodes(set, run.incidents, run.events);
      detected += m.detected;
      episodes += m.episodes;
      falseIncidents += m.falseIncidents;
      hours += m.hours;
      missed.push(`seed ${seed}: ${JSON.stringify(m.detectedByKind)} ${m.examplesOfFalse.join(" · ")}`);
    }
    assert.ok(episodes >= 80, `${episodes} episodes scored`);
    assert.ok(detected / episodes >= 0.95, `${detected}/${episodes}: ${missed.join("; ")}`);
    assert.ok(
      falseIncidents / hours <= 1,
      `${falseIncidents} false incidents in ${hours.toFixed(2)} h: ${missed.join("; ")}`,
    );
    const clean = syntheticSet(105, 200_000, { anomalies: false });
    const cleanRun = await detect(ctx, clean);
    assert.ok(
      cleanRun.incidents.length / clean.hours <= 1,
      `${cleanRun.incidents.length} incidents in ${clean.hours.toFixed(2)} h of clean traffic`,
    );
  } finally {
    closeEval(ctx);
  }
});
