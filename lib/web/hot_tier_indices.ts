/**
 * Names of the hot-tier indices the dashboard reads, from the delivery contract:
 * `<prefix>-events-YYYY.MM.DD`, `<prefix>-templates` and `<prefix>-incidents`.
 *
 * @module
 */

/** Index names and patterns for one `hot.indexPrefix`. */
export interface HotTierIndices {
  /** Pattern over all daily event indices. */
  events: string;
  /** The one template index. */
  templates: string;
  /** The one incident index (documents updated in place, `_id` = incident id). */
  incidents: string;
}

/**
 * Derives index names from the configured prefix.
 *
 * @throws {RangeError} when the prefix is not a valid lowercase index prefix
 */
export function hotTierIndices(prefix: string): HotTierIndices {
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(prefix)) {
    throw new RangeError(
      `Cannot derive index names as the prefix must be lowercase letters, digits, _ . -: current value is ${
        JSON.stringify(prefix)
      }`,
    );
  }
  return {
    events: `${prefix}-events-*`,
    templates: `${prefix}-templates`,
    incidents: `${prefix}-incidents`,
  };
}

/** The daily index for an event time (UTC), e.g. `vigil-events-2026.11.29`. */
export function dailyIndex(prefix: string, ts: string | Date): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${prefix}-events-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}
