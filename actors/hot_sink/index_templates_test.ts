import assert from "node:assert/strict";
import { eventMappings, indexTemplates } from "./index_templates.ts";

Deno.test("indexTemplates: events, templates and incidents only — flagged events are not copied elsewhere", () => {
  const templates = indexTemplates("vigil");
  assert.deepEqual(templates.map((t) => t.name), ["vigil-events", "vigil-templates", "vigil-incidents"]);
  assert.deepEqual(templates[0].body.index_patterns, ["vigil-events-*"]);
});

Deno.test("eventMappings: incidentId is a keyword, so the explorer's incident filter is an exact term", () => {
  const properties = eventMappings().properties as Record<string, { type?: string }>;
  assert.equal(properties.incidentId.type, "keyword");
  assert.equal(properties.templateId.type, "keyword");
});
