/**
 * The route table (like Fresh's generated manifest): URL pattern → route module. Pages render HTML; `api`
 * modules answer JSON or SSE. Keep in step with the files under `routes/`.
 *
 * @module
 */
import type { ApiModule, PageModule, RouteEntry } from "../lib/web/route_module.ts";
import * as Overview from "./index.tsx";
import * as Events from "./events/index.tsx";
import * as EventDetail from "./events/[docId].tsx";
import * as Anomalies from "./anomalies.tsx";
import * as Templates from "./templates.tsx";
import * as Pipeline from "./pipeline.tsx";
import * as ApiEvents from "./api/events.ts";
import * as ApiEvent from "./api/events/[docId].ts";
import * as ApiOverview from "./api/overview.ts";
import * as ApiTimeSeries from "./api/timeseries.ts";
import * as ApiTemplates from "./api/templates.ts";
import * as Suppressions from "./suppressions.tsx";
import * as ApiIncidentActions from "./api/incidents/[id]/actions.ts";
import * as ApiSuppressionDelete from "./api/suppressions/[id]/delete.ts";
import * as ApiPipeline from "./api/pipeline.ts";
import * as ApiLive from "./api/live.ts";

const page = (path: string, module: unknown): RouteEntry => ({
  path,
  kind: "page",
  module: module as PageModule<never>,
});
const api = (path: string, module: ApiModule): RouteEntry => ({ path, kind: "api", module });

/** All routes, in matching order. */
export const ROUTES: RouteEntry[] = [
  page("/", Overview),
  page("/events", Events),
  page("/events/:docId", EventDetail),
  page("/anomalies", Anomalies),
  page("/templates", Templates),
  page("/pipeline", Pipeline),
  page("/suppressions", Suppressions),
  api("/api/events", ApiEvents),
  api("/api/events/:docId", ApiEvent),
  api("/api/overview", ApiOverview),
  api("/api/timeseries", ApiTimeSeries),
  api("/api/templates", ApiTemplates),
  api("/api/incidents/:id/actions", ApiIncidentActions),
  api("/api/suppressions/:id/delete", ApiSuppressionDelete),
  api("/api/pipeline", ApiPipeline),
  api("/api/live", ApiLive),
];
