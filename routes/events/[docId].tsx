/** `/events/:docId` — one event: raw line, parsed fields, template, score, reasons, neighbours, similar. */
import type { JSX } from "preact";
import { ClassBadge, LevelBadge, ScoreBar } from "../../lib/web/components/badges.tsx";
import { EventTable } from "../../lib/web/components/event_table.tsx";
import { formatTime } from "../../lib/web/components/format.ts";
import type { RouteContext } from "../../lib/web/route_module.ts";
import type { EventHit } from "../../lib/web/web_deps.ts";
import { NotFoundError } from "../../lib/web/not_found_error.ts";
import { checkDocId } from "../api/events/[docId].ts";

interface Data {
  event: EventHit;
  neighbours: EventHit[];
  similar: EventHit[];
}

/** Page title. */
export const title = (data: Data) => `Event ${data.event.docId}`;

/** Loads the event (404 page when absent) and its context. */
export async function load(ctx: RouteContext): Promise<Data> {
  const docId = checkDocId(ctx.params.docId ?? "");
  const event = await ctx.deps.hot.getEvent(docId);
  if (!event) throw new NotFoundError(`No event with id ${docId}`);
  const [neighbours, similar] = await Promise.all([
    ctx.deps.hot.neighbours(event, 10),
    ctx.deps.hot.moreLikeThis(event, 10),
  ]);
  return { event, neighbours, similar };
}

function Field(
  { name, children }: { name: string; children: JSX.Element | string | number },
): JSX.Element {
  return (
    <>
      <dt>{name}</dt>
      <dd class="mono">{children}</dd>
    </>
  );
}

/** The neighbours with the event itself in its place (they come oldest first). */
function withCurrent(neighbours: EventHit[], event: EventHit): EventHit[] {
  const i = neighbours.findIndex((n) => n.ts > event.ts || (n.ts === event.ts && n.lineNo > event.lineNo));
  const at = i < 0 ? neighbours.length : i;
  return [...neighbours.slice(0, at), event, ...neighbours.slice(at)];
}

/** The explorer on the event's host and source, the hour either side of it. */
function aroundHref(e: EventHit): string {
  const t = Date.parse(e.ts);
  const qs = new URLSearchParams({ host: e.host, source: e.source, sort: "time", order: "asc" });
  if (Number.isFinite(t)) {
    qs.set("range", "custom");
    qs.set("from", new Date(t - 3600_000).toISOString());
    qs.set("to", new Date(t + 3600_000).toISOString());
  } else {
    qs.set("range", "30d");
  }
  return `/events?${qs}`;
}

/** The page. */
export default function EventPage({ data }: { data: Data; url: URL }): JSX.Element {
  const e = data.event;
  const base = `/events?range=30d`;
  return (
    <>
      <div class="page-head">
        <h1>Event</h1>
        <span class="mono muted">{e.docId}</span>
      </div>
      <section class="panel event-summary">
        <div class="alert-meta">
          <ClassBadge value={e.classification} />
          <LevelBadge value={e.level} />
          <ScoreBar score={e.score} />
          <span class="mono">{formatTime(e.ts)} UTC</span>
          <a class="mono" href={`${base}&host=${encodeURIComponent(e.host)}`}>{e.host}</a>
          <a class="mono" href={`${base}&component=${encodeURIComponent(e.component)}`}>{e.component}</a>
        </div>
        <p class="content mono">{e.content}</p>
        {e.reasons.length > 0
          ? (
            <>
              <h2>Why it was flagged</h2>
              <ul class="reasons">{e.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
            </>
          )
          : null}
      </section>
      <div class="grid-2">
        <section class="panel">
          <header class="panel-head">
            <h2>Raw line</h2>
          </header>
          <pre class="raw">{e.raw}</pre>
          <header class="panel-head">
            <h2>Template</h2>
            <a class="more" href={`${base}&templateId=${encodeURIComponent(e.templateId)}`}>all events →</a>
          </header>
          <pre class="raw">{e.template}</pre>
          {e.params.length > 0
            ? (
              <p class="muted">
                params: <span class="mono">{e.params.join(" · ")}</span>
              </p>
            )
            : null}
        </section>
        <section class="panel">
          <header class="panel-head">
            <h2>Fields</h2>
          </header>
          <dl class="fields">
            <Field name="id">{e.id}</Field>
            <Field name="ingestTs">{formatTime(e.ingestTs)}</Field>
            <Field name="system">
              <a href={`${base}&system=${encodeURIComponent(e.system)}`}>{e.system}</a>
            </Field>
            <Field name="source">
              <a href={`${base}&source=${encodeURIComponent(e.source)}`}>{e.source}</a>
            </Field>
            <Field name="lineNo">{e.lineNo}</Field>
            <Field name="templateId">{e.templateId}</Field>
            <Field name="modelVersion">{e.modelVersion}</Field>
            <Field name="flags">{e.flags.join(", ") || "–"}</Field>
            {e.kafka
              ? <Field name="kafka">{`${e.kafka.topic} / ${e.kafka.partition} @ ${e.kafka.offset}`}</Field>
              : null}
            {Object.entries(e.fields).map(([k, v]) => <Field key={k} name={`fields.${k}`}>{v}</Field>)}
          </dl>
        </section>
      </div>
      <section class="panel">
        <header class="panel-head">
          <h2>
            Around it on {e.host || "this host"} in {e.source || "this source"}
          </h2>
          <a
            class="more"
            href={aroundHref(e)}
          >
            all →
          </a>
        </header>
        <EventTable
          events={withCurrent(data.neighbours, e)}
          currentDocId={e.docId}
          empty="No neighbouring events."
        />
      </section>
      <section class="panel">
        <header class="panel-head">
          <h2>More like this (same template)</h2>
        </header>
        <EventTable events={data.similar} empty="No other events with this template." />
      </section>
    </>
  );
}
