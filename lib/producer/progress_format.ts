/**
 * Human-readable progress line and end-of-run summary of the producer.
 *
 * @module
 */
import type { ProduceProgress, ProduceSummary } from "./produce_run.ts";

const MIB = 1024 * 1024;

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Formats the one-line progress shown on a TTY: events, MiB read, rate, errors, ETA.
 *
 * @param p running totals
 * @returns e.g. `events 120,000 | 68.2 MiB | 41,873 ev/s | errors 0 | ETA 0:12`
 */
export function formatProgress(p: ProduceProgress): string {
  const rate = p.elapsedMs > 0 ? (p.events * 1000) / p.elapsedMs : 0;
  const eta = p.remaining !== undefined && rate > 0 ? duration((p.remaining / rate) * 1000) : "—";
  return `events ${int(p.events)} | ${(p.bytesIn / MIB).toFixed(1)} MiB | ${int(rate)} ev/s | errors ${
    int(p.failed)
  } | ETA ${eta}`;
}

/**
 * Formats the end-of-run summary (several lines).
 *
 * @param s the run's summary
 */
export function formatSummary(s: ProduceSummary): string {
  const flags = Object.entries(s.flags).map(([k, v]) => `${k}=${v}`).join(" ") || "none";
  const lines = [
    `${s.interrupted ? "interrupted" : "done"}: ${int(s.events)} events read, ${
      int(s.acked)
    } delivered to ${s.destination}, ${int(s.failed)} failed`,
    `  ${(s.bytesIn / MIB).toFixed(2)} MiB in ${duration(s.elapsedMs)} (${int(s.eventsPerSecond)} ev/s)`,
    `  ${int(s.lines)} lines: ${int(s.continuationLines)} continuation lines attached, ${
      int(s.emptyLines)
    } blank lines skipped`,
    `  parse errors ${int(s.parseErrors)}; events by repair flag: ${flags}`,
  ];
  if (s.error) lines.push(`  first error: ${s.error}`);
  return lines.join("\n");
}
