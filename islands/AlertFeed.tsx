/**
 * Island: the live feed of ANOMALY / CRITICAL_ANOMALY events with reasons, and the operator's actions:
 * acknowledge, mute the template for a period, label as false positive / confirmed (→ classifier feedback).
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { JSX } from "preact";
import { ClassBadge, LevelBadge, ScoreBar } from "../lib/web/components/badges.tsx";
import { formatTime } from "../lib/web/components/format.ts";
import { liveStatus, onAlert, postJson } from "../lib/web/client/live_stream.ts";
import type { AlertFrame } from "../lib/web/live_frame.ts";

/** One alert in the feed. */
export interface AlertItem extends Omit<AlertFrame, "type"> {
  acknowledged?: boolean;
  /** The label given here, if any. */
  label?: "false_positive" | "confirmed";
}

/** Props of {@link AlertFeed}. */
export interface AlertFeedProps {
  initial: AlertItem[];
  /** Most alerts kept on screen. */
  max?: number;
}

const MUTE_CHOICES = [["15", "15 min"], ["60", "1 hour"], ["1440", "24 hours"]] as const;

/** The feed. */
export default function AlertFeed({ initial, max = 200 }: AlertFeedProps): JSX.Element {
  const items = useSignal<AlertItem[]>(initial);
  const notice = useSignal<string>("");
  const muteMinutes = useSignal("60");

  useEffect(() => {
    return onAlert((frame) => {
      const { type: _type, ...rest } = frame;
      const muted = items.value; // keep reference identity simple: rebuild the list
      items.value = [rest, ...muted.filter((a) => a.eventId !== rest.eventId)].slice(0, max);
    });
  }, []);

  const update = (eventId: string, patch: Partial<AlertItem>) => {
    items.value = items.value.map((a) => (a.eventId === eventId ? { ...a, ...patch } : a));
  };
  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      notice.value = what;
    } catch (err) {
      notice.value = `Failed: ${(err as Error).message}`;
    }
  };

  return (
    <section class="panel feed" aria-label="Live alerts">
      <header class="panel-head">
        <h2>Live alerts</h2>
        <span class={`live-pill status-${liveStatus.value}`}>{liveStatus.value}</span>
        <label class="mute-choice">
          Mute for{" "}
          <select
            value={muteMinutes.value}
            onChange={(e) => (muteMinutes.value = (e.target as HTMLSelectElement).value)}
          >
            {MUTE_CHOICES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
          </select>
        </label>
        <span class="notice" role="status" aria-live="polite">{notice.value}</span>
      </header>
      {items.value.length === 0
        ? <p class="muted empty">No anomalies yet. New ones appear here live.</p>
        : null}
      <ol class="alerts" data-count={items.value.length}>
        {items.value.map((a) => (
          <li
            class={`alert alert-${a.classification.toLowerCase()} ${a.acknowledged ? "acked" : ""}`}
            data-event-id={a.eventId}
          >
            <div class="alert-meta">
              <ClassBadge value={a.classification} />
              <LevelBadge value={a.level} />
              <ScoreBar score={a.score} />
              <span class="mono muted">{formatTime(a.ts)}</span>
              <span class="mono">{a.host}</span>
              <span class="mono muted">{a.component}</span>
              {a.label ? <span class={`badge label-${a.label}`}>{a.label.replace("_", " ")}</span> : null}
            </div>
            <p class="alert-content mono">
              {a.docId ? <a href={`/events/${encodeURIComponent(a.docId)}`}>{a.content}</a> : a.content}
            </p>
            {a.reasons.length > 0
              ? (
                <ul class="reasons">
                  {a.reasons.map((r, i) => <li key={i}>{r}</li>)}
                </ul>
              )
              : null}
            <div class="alert-actions">
              <button
                type="button"
                disabled={a.acknowledged}
                onClick={() =>
                  act("Acknowledged", async () => {
                    await postJson("/api/alerts/ack", { eventId: a.eventId });
                    update(a.eventId, { acknowledged: true });
                  })}
              >
                Acknowledge
              </button>
              <button
                type="button"
                onClick={() =>
                  act("Template muted", async () => {
                    await postJson("/api/alerts/mute", {
                      templateId: a.templateId,
                      minutes: Number(muteMinutes.value),
                    });
                    items.value = items.value.filter((x) =>
                      x.templateId !== a.templateId || x.eventId === a.eventId
                    );
                    update(a.eventId, { acknowledged: true });
                  })}
              >
                Mute template
              </button>
              {(["false_positive", "confirmed"] as const).map((label) => (
                <button
                  type="button"
                  class={`btn-${label}`}
                  disabled={a.label !== undefined}
                  onClick={() =>
                    act(`Labelled ${label.replace("_", " ")}`, async () => {
                      await postJson("/api/feedback", {
                        label,
                        eventId: a.eventId,
                        docId: a.docId,
                        templateId: a.templateId,
                        classification: a.classification,
                        score: a.score,
                        modelVersion: a.modelVersion,
                      });
                      update(a.eventId, { label, acknowledged: true });
                    })}
                >
                  {label === "confirmed" ? "Confirm" : "False positive"}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
