import assert from "node:assert/strict";
import {
  DISMISSED_PEAK_MARGIN,
  NOT_A_PROBLEM_RATE_FACTOR,
  suppresses,
  type Suppression,
} from "./suppression.ts";

const base: Suppression = {
  id: "sup-1",
  kind: "mute",
  scope: "template",
  system: "sys",
  component: "comp",
  templateId: "t1",
  template: "x",
  host: "",
  incidentId: "",
  createdTs: "2026-01-01T00:00:00.000Z",
  expiresTs: "",
  createdBy: "ana",
  silenced: 0,
};
const probe = {
  detector: "new_pattern" as const,
  system: "sys",
  component: "comp",
  templateId: "t1",
  host: "h1",
  level: "info" as const,
};

Deno.test("suppression rules: scopes", () => {
  assert.equal(suppresses(base, probe), true);
  assert.equal(suppresses(base, { ...probe, templateId: "t2" }), false);
  assert.equal(suppresses(base, { ...probe, component: "other" }), false);
  const hostScoped = { ...base, scope: "template_host" as const, host: "h1" };
  assert.equal(suppresses(hostScoped, probe), true);
  assert.equal(suppresses(hostScoped, { ...probe, host: "h2" }), false);
  assert.equal(
    suppresses({ ...base, scope: "component", templateId: "" }, { ...probe, templateId: "t9" }),
    true,
  );
});

Deno.test("suppression rules: no feedback silences a fatal/critical line of another template", () => {
  const component = { ...base, scope: "component" as const, templateId: "" };
  for (const level of ["fatal", "critical"] as const) {
    assert.equal(suppresses(component, { ...probe, detector: "severity", templateId: "t9", level }), false);
    assert.equal(suppresses(base, { ...probe, detector: "severity", level }), true, "its own template");
  }
});

Deno.test("suppression rules: 'not a problem' is rate-aware and never hides a silence", () => {
  const nap = { ...base, kind: "not_a_problem" as const };
  assert.equal(suppresses(nap, { ...probe, detector: "model" }), true);
  assert.equal(suppresses(nap, { ...probe, detector: "rate" }, 2), true);
  assert.equal(suppresses(nap, { ...probe, detector: "rate" }, NOT_A_PROBLEM_RATE_FACTOR), false);
  assert.equal(
    suppresses({ ...nap, scope: "component", templateId: "" }, { ...probe, detector: "silence" }),
    false,
  );
});

Deno.test("suppression rules: a dismissed volume incident speaks again only well beyond the peak it had", () => {
  const nap = { ...base, kind: "not_a_problem" as const, dismissedFactor: 12 };
  const rate = { ...probe, detector: "rate" as const };
  assert.equal(suppresses(nap, rate, 12), true, "the same spike the operator called normal");
  assert.equal(suppresses(nap, rate, DISMISSED_PEAK_MARGIN * 12 - 0.1), true);
  assert.equal(suppresses(nap, rate, DISMISSED_PEAK_MARGIN * 12), false, "far beyond it");
  // A small dismissed peak never lowers the floor below the rate-aware factor.
  assert.equal(suppresses({ ...nap, dismissedFactor: 1 }, rate, NOT_A_PROBLEM_RATE_FACTOR), false);
});
