/**
 * Test fixture: a valid incident document (checked against the schema) with realistic fields.
 *
 * @module
 */
import { type Incident, incidentId, incidentKey, IncidentSchema } from "../lib/incidents/incident.ts";

/**
 * Incident number `n` at `version` (default 1); `overrides` replace fields. Its id is deterministic in `n`.
 *
 * @throws {ZodError} when the overrides make the document invalid (a fixture must match the contract)
 */
export function testIncident(n: number, overrides: Partial<Incident> = {}): Incident {
  const key = incidentKey("lines", "bgl", `disk-${n}`, "*");
  return IncidentSchema.parse({
    id: incidentId(key, `test:${n}`),
    key,
    detector: "severity",
    severity: "ANOMALY",
    status: "open",
    title: `Disk failure on node-7 (template ${n})`,
    system: "bgl",
    component: "KERNEL",
    templateId: `t-disk-${n}`,
    template: "disk <*> failed: I/O error",
    host: "node-7",
    hosts: ["node-7"],
    firstTs: "2016-09-28T04:30:00.000Z",
    lastTs: "2016-09-28T04:31:00.000Z",
    resolvedTs: "",
    count: 3,
    peakRate: 3,
    baselineRate: 0.1,
    score: 0.92,
    reasons: ["fatal level with failure semantics", "page-worthy: disk failure"],
    samples: [{
      eventId: `test:${n}`,
      ts: "2016-09-28T04:30:00.000Z",
      host: "node-7",
      lineNo: n + 1,
      content: "disk sda failed: I/O error",
    }],
    spark: [1, 2],
    version: 1,
    statusBy: "",
    statusTs: "",
    ...overrides,
  });
}
