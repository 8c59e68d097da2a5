/**
 * A small in-memory {@link IncidentControl} for dashboard tests: applies the actions' status changes and keeps
 * suppressions, the way the engine's tracker is specified to (the tracker itself is tested with the engine).
 *
 * @module
 */
import type { Incident } from "../../lib/incidents/incident.ts";
import type { IncidentActionRequest, IncidentControl } from "../../lib/incidents/incident_control.ts";
import type { Suppression } from "../../lib/incidents/suppression.ts";

const DEFAULT_EXPIRY_MS = { mute: 4 * 3_600_000, not_a_problem: 30 * 86_400_000 } as const;

/** Memory-backed incident control; `calls` records every action for assertions. */
export class MemoryIncidentControl implements IncidentControl {
  readonly #incidents = new Map<string, Incident>();
  #suppressions: Suppression[] = [];
  readonly calls: IncidentActionRequest[] = [];
  readonly removed: { id: string; by: string }[] = [];

  constructor(incidents: Incident[] = [], readonly now: () => Date = () => new Date()) {
    for (const i of incidents) this.#incidents.set(i.id, i);
  }

  act(request: IncidentActionRequest): Promise<Incident | undefined> {
    this.calls.push(request);
    const current = this.#incidents.get(request.incidentId);
    if (!current) return Promise.resolve(undefined);
    if (request.expiresInMs !== undefined && !(request.expiresInMs > 0)) {
      return Promise.reject(
        new RangeError(`expiresInMs must be positive: current value is ${request.expiresInMs}`),
      );
    }
    const now = this.now();
    const status = {
      acknowledge: "acknowledged",
      resolve: "resolved",
      reopen: "open",
      mute: "muted",
      not_a_problem: "resolved",
      real_problem: current.status === "resolved" || current.status === "muted" ? "open" : current.status,
    }[request.action] as Incident["status"];
    const next: Incident = {
      ...current,
      status,
      severity: request.action === "real_problem" ? "CRITICAL_ANOMALY" : current.severity,
      resolvedTs: status === "resolved" ? now.toISOString() : "",
      version: current.version + 1,
      statusBy: request.by,
      statusTs: now.toISOString(),
    };
    this.#incidents.set(next.id, next);
    if (request.action === "mute" || request.action === "not_a_problem") {
      const scope = request.scope ?? (current.templateId ? "template" : "component");
      this.#suppressions.unshift({
        id: `sup-${this.#suppressions.length + 1}`,
        kind: request.action,
        scope,
        system: current.system,
        component: current.component,
        templateId: scope === "component" ? "" : current.templateId,
        template: scope === "component" ? "" : current.template,
        host: scope === "template_host" ? current.host : "",
        incidentId: current.id,
        createdTs: now.toISOString(),
        expiresTs: new Date(now.getTime() + (request.expiresInMs ?? DEFAULT_EXPIRY_MS[request.action]))
          .toISOString(),
        createdBy: request.by,
        silenced: 0,
      });
    }
    return Promise.resolve(next);
  }

  /** Adds a suppression directly (test setup). */
  addSuppression(s: Suppression): void {
    this.#suppressions.unshift(s);
  }

  suppressions(): Suppression[] {
    return [...this.#suppressions];
  }

  removeSuppression(id: string, by: string): Promise<boolean> {
    const before = this.#suppressions.length;
    this.#suppressions = this.#suppressions.filter((s) => s.id !== id);
    if (this.#suppressions.length < before) this.removed.push({ id, by });
    return Promise.resolve(this.#suppressions.length < before);
  }

  incidents(): Incident[] {
    return [...this.#incidents.values()];
  }
}
