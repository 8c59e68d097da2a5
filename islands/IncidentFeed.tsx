/**
 * Island: the incident feed. One card per incident — severity, title, status, sparkline of its counts, peak vs
 * baseline, ranked reasons, sample lines, hosts, first/last time and a link to its events — ordered as a person
 * on call reads them (`compareIncidents`: unresolved first, most severe, newest). Live incident frames upsert
 * cards; the actions (acknowledge, resolve, reopen, mute with scope and expiry, not a problem, real problem) go
 * to `POST /api/incidents/:id/actions`, and the card takes the incident the engine answers with.
 *
 * All log-derived text is rendered as text nodes (preact escapes it): HTML in a log line stays inert.
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { JSX } from "preact";
import { ClassBadge } from "../lib/web/components/badges.tsx";
import { formatCount, formatTime } from "../lib/web/components/format.ts";
import { Sparkline } from "../lib/web/components/sparkline.tsx";
import { liveStatus, onIncident, postJson } from "../lib/web/client/live_stream.ts";
import { compareIncidents, type Incident } from "../lib/incidents/incident.ts";
import type { IncidentAction } from "../lib/incidents/incident_control.ts";
import type { SuppressionScope } from "../lib/incidents/suppression.ts";
import { incidentEventsUrl } from "../lib/web/incident_events_url.ts";
import { describeSuppression, type IncidentSuppression } from "../lib/web/incident_suppressions.ts";

/** Props of {@link IncidentFeed}. */
export interface IncidentFeedProps {
  initial: Incident[];
  /** Whether an engine is wired in to act on incidents. */
  canAct: boolean;
  /** Most incidents kept on screen. */
  max?: number;
  /** The engine's suppressions in force, by incident id: a muted card says until when. */
  suppressions?: Record<string, IncidentSuppression>;
}

/** Expiry choices for mute / not a problem, in ms. */
export const EXPIRY_CHOICES = [
  [3_600_000, "1 hour"],
  [4 * 3_600_000, "4 hours"],
  [86_400_000, "24 hours"],
  [7 * 86_400_000, "7 days"],
  [30 * 86_400_000, "30 days"],
] as const;

const SCOPE_LABEL: Record<SuppressionScope, string> = {
  template: "this template",
  template_host: "this template on this host",
  component: "the whole component",
};

/** The scopes an incident offers: host scope only for single-host incidents, template ones only with a template. */
export function scopesOf(incident: Incident): SuppressionScope[] {
  if (!incident.templateId) return ["component"];
  return incident.host && incident.host !== "*"
    ? ["template", "template_host", "component"]
    : ["template", "component"];
}

/** Inserts or replaces an incident (a newer version wins), keeps the feed ordered and bounded. */
export function upsertIncident(list: Incident[], incident: Incident, max: number): Incident[] {
  const existing = list.find((i) => i.id === incident.id);
  if (existing && existing.version > incident.version) return list;
  return [incident, ...list.filter((i) => i.id !== incident.id)].sort(compareIncidents).slice(0, max);
}

function rate(n: number): string {
  return n >= 10 ? formatCount(Math.round(n)) : n.toFixed(1);
}

/**
 * What a card says about its suppression: its kind and expiry when the engine holds one; for a muted incident
 * without one, that the mute is over (with an engine) or that only the engine's dashboard knows (without).
 */
export function suppressionNote(
  incident: Incident,
  suppression: IncidentSuppression | undefined,
  canAct: boolean,
): string | undefined {
  if (suppression) return describeSuppression(suppression);
  if (incident.status !== "muted") return undefined;
  return canAct ? "mute expired or removed" : "muted (the expiry is shown where the engine runs)";
}

function IncidentCard(
  { incident: i, canAct, onAct, suppression }: {
    incident: Incident;
    canAct: boolean;
    suppression?: IncidentSuppression;
    onAct: (
      i: Incident,
      action: IncidentAction,
      extra?: { scope: SuppressionScope; expiresInMs: number },
    ) => void;
  },
): JSX.Element {
  const scopes = scopesOf(i);
  const scope = useSignal<SuppressionScope>(scopes[0]);
  const expiry = useSignal<number>(4 * 3_600_000);
  const closed = i.status === "resolved" || i.status === "muted";
  const note = suppressionNote(i, suppression, canAct);
  const suppressionExtra = () => ({ scope: scope.value, expiresInMs: expiry.value });
  const button = (action: IncidentAction, label: string, disabled = false) => (
    <button
      type="button"
      class={`btn-${action}`}
      disabled={!canAct || disabled}
      onClick={() =>
        onAct(i, action, action === "mute" || action === "not_a_problem" ? suppressionExtra() : undefined)}
    >
      {label}
    </button>
  );
  return (
    <li
      class={`incident incident-${i.severity.toLowerCase()} status-${i.status}`}
      data-incident-id={i.id}
      data-status={i.status}
    >
      <div class="incident-head">
        <ClassBadge value={i.severity} />
        <span class={`badge incident-status st-${i.status}`} data-field="status">{i.status}</span>
        <h3 class="incident-title">{i.title}</h3>
      </div>
      <div class="incident-stats">
        <Sparkline values={i.spark} width={140} height={28} />
        <span class="kv">
          <b data-field="count">{formatCount(i.count)}</b> events
        </span>
        <span class="kv" title="highest events per bucket vs the expected per bucket before it">
          peak <b>{rate(i.peakRate)}</b> vs baseline <b>{rate(i.baselineRate)}</b>
        </span>
        <span class="kv mono muted">{formatTime(i.firstTs)} → {formatTime(i.lastTs)} UTC</span>
        <span class="kv mono muted">{i.system}/{i.component} · {i.detector}</span>
      </div>
      {i.reasons.length > 0
        ? (
          <ol class="reasons ranked">
            {i.reasons.map((r, n) => <li key={n}>{r}</li>)}
          </ol>
        )
        : null}
      {i.samples.length > 0
        ? (
          <ul class="samples mono">
            {i.samples.map((s) => (
              <li key={s.eventId}>
                <span class="muted">{formatTime(s.ts)} {s.host}</span>{" "}
                <span class="sample-content">{s.content}</span>
              </li>
            ))}
          </ul>
        )
        : null}
      <div class="incident-foot">
        <span class="hosts">
          <span class="muted">hosts</span> <span class="mono">{i.hosts.join(", ") || i.host}</span>
        </span>
        {i.statusBy
          ? <span class="muted">{i.status} by {i.statusBy} at {formatTime(i.statusTs)}</span>
          : null}
        {note ? <span class="suppression-note" data-field="suppression">{note}</span> : null}
        <a class="events-link" href={incidentEventsUrl(i)}>events →</a>
      </div>
      <div class="incident-actions">
        {button("acknowledge", "Acknowledge", i.status !== "open")}
        {button("resolve", "Resolve", i.status === "resolved")}
        {button("reopen", "Reopen", i.status === "open")}
        {button("real_problem", "Real problem")}
        <span class="suppress">
          <select
            aria-label="Scope"
            disabled={!canAct || closed}
            value={scope.value}
            onChange={(e) => (scope.value = (e.target as HTMLSelectElement).value as SuppressionScope)}
          >
            {scopes.map((s) => <option key={s} value={s}>{SCOPE_LABEL[s]}</option>)}
          </select>
          <select
            aria-label="For"
            disabled={!canAct || closed}
            value={String(expiry.value)}
            onChange={(e) => (expiry.value = Number((e.target as HTMLSelectElement).value))}
          >
            {EXPIRY_CHOICES.map(([ms, label]) => <option key={ms} value={String(ms)}>for {label}</option>)}
          </select>
          {button("mute", "Mute", closed)}
          {button("not_a_problem", "Not a problem", closed)}
        </span>
      </div>
    </li>
  );
}

/** The feed. */
export default function IncidentFeed(
  { initial, canAct, max = 200, suppressions = {} }: IncidentFeedProps,
): JSX.Element {
  const items = useSignal<Incident[]>([...initial].sort(compareIncidents).slice(0, max));
  const held = useSignal<Record<string, IncidentSuppression>>(suppressions);
  const notice = useSignal<string>("");

  useEffect(
    () => onIncident((frame) => (items.value = upsertIncident(items.value, frame.incident, max))),
    [],
  );

  const act = async (
    i: Incident,
    action: IncidentAction,
    extra?: { scope: SuppressionScope; expiresInMs: number },
  ) => {
    try {
      const res =
        (await postJson(`/api/incidents/${encodeURIComponent(i.id)}/actions`, { action, ...extra })) as {
          incident: Incident;
          suppression?: IncidentSuppression;
        };
      items.value = upsertIncident(items.value, res.incident, max);
      const { [i.id]: _, ...others } = held.value;
      held.value = res.suppression ? { ...others, [i.id]: res.suppression } : others;
      notice.value = `${action.replaceAll("_", " ")}: ${res.incident.title}`;
    } catch (err) {
      notice.value = `Failed: ${(err as Error).message}`;
    }
  };

  const active = items.value.filter((i) => i.status === "open" || i.status === "acknowledged");
  const closed = items.value.filter((i) => i.status === "resolved" || i.status === "muted");
  const list = (xs: Incident[]) => (
    <ol class="incidents">
      {xs.map((i) => (
        <IncidentCard key={i.id} incident={i} canAct={canAct} onAct={act} suppression={held.value[i.id]} />
      ))}
    </ol>
  );

  return (
    <section class="panel feed" aria-label="Incidents">
      <header class="panel-head">
        <h2>Incidents</h2>
        <span class={`live-pill status-${liveStatus.value}`}>{liveStatus.value}</span>
        <span class="muted" data-count={items.value.length}>
          {active.length} need attention · {closed.length} resolved or muted
        </span>
        <span class="notice" role="status" aria-live="polite">{notice.value}</span>
      </header>
      {canAct ? null : (
        <p class="banner warn actions-note">
          Actions are disabled: this dashboard runs without the engine (<span class="mono">
            deno task web
          </span>). Acknowledge, mute and resolve from the dashboard of{" "}
          <span class="mono">deno task start</span>.
        </p>
      )}
      {items.value.length === 0
        ? <p class="muted empty">No incidents in this window. New ones appear here live.</p>
        : null}
      {active.length > 0 ? list(active) : null}
      {closed.length > 0
        ? (
          <>
            <h3 class="group-head">Resolved and muted</h3>
            {list(closed)}
          </>
        )
        : null}
    </section>
  );
}
