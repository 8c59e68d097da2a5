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
import * as ApiAlerts from "./api/alerts.ts";
import * as ApiAck from "./api/alerts/ack.ts";
import * as ApiMute from "./api/alerts/mute.ts";
import * as ApiFeedback from "./api/feedback.ts";
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
  api("/api/events", ApiEvents),
  api("/api/events/:docId", ApiEvent),
  api("/api/overview", ApiOverview),
  api("/api/timeseries", ApiTimeSeries),
  api("/api/templates", ApiTemplates),
  api("/api/alerts", ApiAlerts),
  api("/api/alerts/ack", ApiAck),
  api("/api/alerts/mute", ApiMute),
  api("/api/feedback", ApiFeedback),
  api("/api/pipeline", ApiPipeline),
  api("/api/live", ApiLive),
];
