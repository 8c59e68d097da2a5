/**
 * Browser side of the live path: one shared `EventSource` on `/api/live` per page, with typed listeners.
 * `EventSource` reconnects by itself and sends `Last-Event-ID`, so missed frames are replayed by the server; a
 * refused stream (503 past the server's stream cap) is retried after 10 s.
 * Safe to import on the server: nothing runs until a listener is added (from an effect).
 *
 * @module
 */
import { signal } from "@preact/signals";
import type { AlertFrame, IncidentFrame, TickFrame } from "../live_frame.ts";

/** Connection state shown in the UI. */
export const liveStatus = signal<"connecting" | "open" | "reconnecting">("connecting");
/** Frames this browser lost because it fell behind (reported by the server). */
export const liveDropped = signal(0);

type Listeners = {
  tick: Set<(f: TickFrame) => void>;
  alert: Set<(f: AlertFrame) => void>;
  incident: Set<(f: IncidentFrame) => void>;
};
const listeners: Listeners = { tick: new Set(), alert: new Set(), incident: new Set() };
let source: EventSource | undefined;

function connect(): void {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/api/live");
  source.onopen = () => (liveStatus.value = "open");
  source.onerror = () => {
    liveStatus.value = "reconnecting";
    // A refused stream (503: the server's SSE cap is reached) closes an EventSource for good: try again later,
    // as its Retry-After says.
    if (source?.readyState === EventSource.CLOSED) {
      source = undefined;
      setTimeout(connect, 10_000);
    }
  };
  for (const type of ["tick", "alert", "incident"] as const) {
    source.addEventListener(type, (e) => {
      let frame: unknown;
      try {
        frame = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const fn of listeners[type]) (fn as (f: unknown) => void)(frame);
    });
  }
  source.addEventListener("dropped", (e) => {
    try {
      liveDropped.value = JSON.parse((e as MessageEvent<string>).data).dropped;
    } catch { /* ignore a malformed notice */ }
  });
}

/** Listens to ticks; returns the unsubscribe function. */
export function onTick(fn: (f: TickFrame) => void): () => void {
  listeners.tick.add(fn);
  connect();
  return () => listeners.tick.delete(fn);
}

/** Listens to alerts; returns the unsubscribe function. */
export function onAlert(fn: (f: AlertFrame) => void): () => void {
  listeners.alert.add(fn);
  connect();
  return () => listeners.alert.delete(fn);
}

/** Listens to incident changes (opened, grown, status changed); returns the unsubscribe function. */
export function onIncident(fn: (f: IncidentFrame) => void): () => void {
  listeners.incident.add(fn);
  connect();
  return () => listeners.incident.delete(fn);
}

/** POSTs JSON to our API; resolves with the parsed answer or throws with the server's message. */
export async function postJson(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data as { error?: string }).error ?? `HTTP ${res.status}`);
  return data;
}
