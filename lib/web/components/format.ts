/**
 * Number and time formatting shared by pages and islands (same output on server and browser).
 *
 * @module
 */

/** Compact counts: 950, 12.3k, 4.1M. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  if (abs >= 1e9) return (n / 1e9).toFixed(1) + "G";
  if (abs >= 1e6) return (n / 1e6).toFixed(1) + "M";
  if (abs >= 1e4) return (n / 1e3).toFixed(1) + "k";
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A rate per second with sensible precision. */
export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return "–";
  return n >= 100 ? formatCount(Math.round(n)) : n.toFixed(1);
}

/** A ratio as a percentage. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "–";
  return (ratio * 100).toFixed(ratio < 0.01 && ratio > 0 ? 2 : 1) + "%";
}

/** An ISO time as `YYYY-MM-DD HH:MM:SS.mmm` UTC (blank for invalid). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().replace("T", " ").replace("Z", "");
}

/** A short `HH:MM:SS` UTC time. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19);
}
