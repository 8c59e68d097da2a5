/** `/suppressions` — every mute and "not a problem" in force (or expired, not yet removed), with Undo. */
import type { JSX } from "preact";
import { Island } from "../lib/web/island.tsx";
import type { RouteContext } from "../lib/web/route_module.ts";
import type { Suppression } from "../lib/incidents/suppression.ts";
import SuppressionList from "../islands/SuppressionList.tsx";

interface Data {
  suppressions: Suppression[];
  canAct: boolean;
  now: string;
}

/** Page title. */
export const title = "Suppressions";

/** Suppressions live in the engine (its incident tracker); without one there is nothing to list. */
export function load(ctx: RouteContext): Data {
  const control = ctx.deps.incidentControl;
  return {
    suppressions: control?.suppressions() ?? [],
    canAct: control !== undefined,
    now: ctx.deps.now().toISOString(),
  };
}

/** The page. */
export default function Suppressions({ data }: { data: Data; url: URL }): JSX.Element {
  return (
    <>
      <div class="page-head">
        <h1>Suppressions</h1>
        <a class="more" href="/anomalies">← incidents</a>
      </div>
      {data.canAct ? null : (
        <p class="banner warn">
          Suppressions are kept by the engine, and this dashboard runs without one (
          <span class="mono">deno task web</span>): open the dashboard of{" "}
          <span class="mono">deno task start</span> to see and undo them.
        </p>
      )}
      <Island
        name="SuppressionList"
        component={SuppressionList}
        props={{ initial: data.suppressions, canAct: data.canAct, now: data.now }}
      />
    </>
  );
}
