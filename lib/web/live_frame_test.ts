import assert from "node:assert/strict";
import { IncidentSchema } from "../incidents/incident.ts";
import { makeIncident } from "../../testing/memory_hot_tier.ts";
import { BoundedIncidentSchema, parseLiveFrame } from "./live_frame.ts";

Deno.test("the bounded incident schema has exactly the fields of the incident contract", () => {
  assert.deepEqual(Object.keys(BoundedIncidentSchema.shape).sort(), Object.keys(IncidentSchema.shape).sort());
});

Deno.test("parseLiveFrame accepts an incident frame and rejects extra keys, wrong enums and oversized parts", () => {
  const incident = makeIncident({ templateId: "t1", title: "<script>alert(1)</script>" });
  const frame = { type: "incident", incident };
  assert.deepEqual(parseLiveFrame(JSON.stringify(frame)), frame);
  const bad = [
    { ...frame, extra: 1 },
    { ...frame, incident: { ...incident, status: "deleted" } },
    { ...frame, incident: { ...incident, injected: "x" } },
    { ...frame, incident: { ...incident, spark: new Array(61).fill(1) } },
    { ...frame, incident: { ...incident, hosts: new Array(21).fill("h") } },
    { ...frame, incident: { ...incident, reasons: ["x".repeat(1001)] } },
    {
      ...frame,
      incident: { ...incident, samples: [{ ...incident.samples[0], content: "x".repeat(10_001) }] },
    },
    { ...frame, incident: { ...incident, score: 2 } },
    { type: "incident" },
  ];
  for (const b of bad) {
    assert.equal(parseLiveFrame(JSON.stringify(b)), undefined, JSON.stringify(b).slice(0, 120));
  }
});
