/**
 * Graceful degradation when the hot tier is down: pages still render (live parts keep working) with a banner.
 *
 * @module
 */
import type { JSX } from "preact";
import { HotTierUnavailableError } from "../opensearch_query_service.ts";

/** Runs a hot-tier read; an unavailable hot tier becomes `{ error }` instead of a failed page. */
export async function withHotTier<T>(read: () => Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await read() };
  } catch (err) {
    if (err instanceof HotTierUnavailableError) return { error: err.message };
    throw err;
  }
}

/** A warning banner, or nothing when there is no error. */
export function HotTierBanner({ error }: { error?: string }): JSX.Element | null {
  if (!error) return null;
  return (
    <div class="banner warn" role="alert">
      <strong>Hot tier unavailable.</strong> Historical data cannot be shown; live data continues.{" "}
      <span class="mono">{error}</span>
    </div>
  );
}
