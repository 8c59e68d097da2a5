import assert from "node:assert/strict";
import {
  eventAnalysis,
  eventMappings,
  indexTemplates,
  PARTS_ANALYZER,
  PARTS_MAX_TERM_CHARS,
} from "./index_templates.ts";

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

Deno.test("eventAnalysis: content.parts cuts terms below Lucene's 32 766-byte limit (4 bytes per character)", () => {
  const analysis = eventAnalysis() as {
    filter: Record<string, { type: string; length: number }>;
    analyzer: Record<string, { filter: string[] }>;
  };
  const cap = analysis.analyzer[PARTS_ANALYZER].filter.map((f) => analysis.filter[f]).find((f) =>
    f?.type === "truncate"
  );
  assert.ok(cap !== undefined, "a truncate filter in the parts analyzer");
  assert.equal(cap.length, PARTS_MAX_TERM_CHARS);
  assert.ok(PARTS_MAX_TERM_CHARS * 4 < 32_766);
});
