/**
 * Island: every suppression (mute / not a problem) with its scope, who made it and when, its expiry and the
 * events it silenced, each with an Undo button (`POST /api/suppressions/:id/delete`).
 */
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { formatCount, formatTime } from "../lib/web/components/format.ts";
import { postJson } from "../lib/web/client/live_stream.ts";
import type { Suppression } from "../lib/incidents/suppression.ts";

/** Props of {@link SuppressionList}. */
export interface SuppressionListProps {
  initial: Suppression[];
  canAct: boolean;
  /** Server time when rendered (ISO), to tell expired suppressions apart the same way on both sides. */
  now: string;
}

/** What a suppression covers, in words. */
export function describeScope(s: Suppression): string {
  const where = `${s.system}/${s.component}`;
  if (s.scope === "component") return `component ${where}`;
  const template = s.template || s.templateId;
  return s.scope === "template_host" ? `${template} on ${s.host} (${where})` : `${template} (${where})`;
}

/** The list. */
export default function SuppressionList({ initial, canAct, now }: SuppressionListProps): JSX.Element {
  const items = useSignal<Suppression[]>(initial);
  const notice = useSignal("");
  const nowMs = Date.parse(now);

  const undo = async (s: Suppression) => {
    try {
      await postJson(`/api/suppressions/${encodeURIComponent(s.id)}/delete`, {});
      items.value = items.value.filter((x) => x.id !== s.id);
      notice.value = `Removed the ${s.kind.replaceAll("_", " ")} on ${describeScope(s)}`;
    } catch (err) {
      notice.value = `Failed: ${(err as Error).message}`;
    }
  };

  return (
    <section class="panel" aria-label="Suppressions">
      <header class="panel-head">
        <h2>Suppressions</h2>
        <span class="muted" data-count={items.value.length}>{items.value.length}</span>
        <span class="notice" role="status" aria-live="polite">{notice.value}</span>
      </header>
      {items.value.length === 0
        ? <p class="muted empty">No suppressions. Mute or "not a problem" on an incident creates one.</p>
        : (
          <table class="dense suppressions">
            <thead>
              <tr>
                <th>Kind</th>
                <th>Scope</th>
                <th>By</th>
                <th>Created (UTC)</th>
                <th>Expires (UTC)</th>
                <th class="num">Silenced</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.value.map((s) => {
                const expired = s.expiresTs !== "" && Date.parse(s.expiresTs) <= nowMs;
                return (
                  <tr key={s.id} data-suppression-id={s.id} class={expired ? "expired" : undefined}>
                    <td>
                      <span class={`badge sup-${s.kind}`}>{s.kind.replaceAll("_", " ")}</span>
                    </td>
                    <td>
                      <span class="muted">{s.scope.replaceAll("_", " + ")}:</span>{" "}
                      <span class="mono">{describeScope(s)}</span>
                      {s.incidentId
                        ? (
                          <>
                            {" "}
                            <a href={`/events?incidentId=${encodeURIComponent(s.incidentId)}&range=30d`}>
                              incident
                            </a>
                          </>
                        )
                        : null}
                    </td>
                    <td class="mono">{s.createdBy}</td>
                    <td class="mono">{formatTime(s.createdTs)}</td>
                    <td class="mono">
                      {s.expiresTs === "" ? "never" : formatTime(s.expiresTs)}
                      {expired ? <span class="muted">(expired)</span> : null}
                    </td>
                    <td class="num" data-field="silenced">{formatCount(s.silenced)}</td>
                    <td>
                      <button type="button" disabled={!canAct} onClick={() => undo(s)}>Undo</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
    </section>
  );
}
