/** `/pipeline` — actors, Kafka lag and sinks, live. */
import type { JSX } from "preact";
import { Island } from "../lib/web/island.tsx";
import type { PipelineSnapshot } from "../lib/web/pipeline_snapshot.ts";
import type { RouteContext } from "../lib/web/route_module.ts";
import PipelineLive from "../islands/PipelineLive.tsx";

/** Page title. */
export const title = "Pipeline";

/** Takes the current snapshot. */
export async function load(ctx: RouteContext): Promise<{ snapshot: PipelineSnapshot }> {
  return { snapshot: await ctx.deps.pipeline.snapshot() };
}

/** The page. */
export default function Pipeline({ data }: { data: { snapshot: PipelineSnapshot }; url: URL }): JSX.Element {
  return (
    <>
      <div class="page-head">
        <h1>Pipeline</h1>
      </div>
      <Island name="PipelineLive" component={PipelineLive} props={{ snapshot: data.snapshot }} />
    </>
  );
}
