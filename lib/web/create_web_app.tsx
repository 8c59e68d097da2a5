/**
 * The dashboard's app factory: a hono app with security middleware, the routes it is given, the content-hashed
 * island bundle and `/metrics`. Everything outside the web layer comes in through `deps`, the route table too:
 * the app (`routes/_manifest.ts`) depends on this library, never the other way.
 *
 * @example
 * ```ts ignore
 * import { createWebApp } from "./create_web_app.tsx";
 * const web = createWebApp({ routes: ROUTES, hot, live }); // ROUTES: the app's table (routes/_manifest.ts)
 * Deno.serve({ port: 8080 }, web.fetch);
 * ```
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { Counter, Gauge, Registry } from "prom-client";
import { accessTokenGuard } from "./access_token_guard.ts";
import { csrfGuard } from "./csrf_guard.ts";
import { hostGuard } from "./host_guard.ts";
import { ConnectionSlots } from "./connection_slots.ts";
import { postRateLimit, type PostRateLimitOptions } from "./post_rate_limit.ts";
import { BadRequestError } from "./event_query.ts";
import { buildIslandBundle, type IslandBundle } from "./island_bundler.ts";
import { HotTierUnavailableError } from "./opensearch_query_service.ts";
import { NotFoundError } from "./not_found_error.ts";
import { emptyPipelineSnapshot } from "./pipeline_snapshot.ts";
import { ErrorPanel, renderPage } from "./render_page.tsx";
import type { PageModule, RouteContext, RouteEntry } from "./route_module.ts";
import { securityHeaders } from "./security_headers.ts";
import { redactSecrets } from "../config/redact_secrets.ts";
import type { HotTierQueries, LiveEventSource, PipelineMetricsProvider } from "./web_deps.ts";
import type { IncidentControl } from "../incidents/incident_control.ts";
import type { ArchiveSettings } from "./search_with_archive.ts";

/** What the dashboard needs from the rest of vigil. */
export interface WebDeps {
  /** The pages and APIs, in matching order (vigil's: `ROUTES` of `routes/_manifest.ts`). */
  routes: readonly RouteEntry[];
  /** Read side of the hot tier. */
  hot: HotTierQueries;
  /**
   * The cold tier, for explorer ranges older than the hot window (`search_with_archive.ts`). Default: none —
   * the explorer shows what the hot tier holds.
   */
  archive?: ArchiveSettings;
  /** Live frames (ticks and alerts) for SSE. */
  live: LiveEventSource;
  /** The engine's metrics. Default: an empty snapshot (no engine in this process). */
  pipeline?: PipelineMetricsProvider;
  /**
   * Operator actions on incidents and the suppressions they create (the engine's incident tracker). Default:
   * none — `deno task web` alone cannot act, so the action APIs answer 503 and the buttons are disabled.
   */
  incidentControl?: IncidentControl;
  /** Required access token; mandatory when listening beyond loopback. Default: none. */
  accessToken?: string;
  /** The address listened on; without a token, requests must name it, a loopback name or an allowed host. */
  listenHost?: string;
  /** Further host names accepted without a token (see `hostGuard`). Default: none. */
  allowedHosts?: readonly string[];
  /** Clock. Default `() => new Date()`. */
  now?: () => Date;
  /** SSE heartbeat period in milliseconds. Default 15000. */
  heartbeatMs?: number;
  /** Per-SSE-client queue capacity (frames). Default 256. */
  sseClientCapacity?: number;
  /** SSE streams open at once; more are refused with 503 and `Retry-After`. Default 100. */
  sseMaxClients?: number;
  /**
   * Longest a write to one SSE client may wait (the client stopped reading and its socket is full) before the
   * client is dropped, in milliseconds. Default 10000.
   */
  sseWriteTimeoutMs?: number;
  /** The per-client limit on POSTs (see {@link postRateLimit}). Default: 20 at once, 2/s, 10 000 clients. */
  postRateLimit?: Omit<PostRateLimitOptions, "onLimited" | "onEvicted">;
  /** Extra Prometheus text appended to `/metrics` (e.g. the engine's registry). */
  extraMetrics?: () => Promise<string> | string;
  /** A pre-built bundle (tests share one). Default: built on first page request and cached. */
  bundle?: Promise<IslandBundle>;
}

/** Web-layer counters exported on `/metrics`. */
export interface WebMetrics {
  registry: Registry;
  requests: Counter<"route" | "status">;
  sseClients: Gauge;
  sseDropped: Counter;
  /** SSE connections refused because `sseMaxClients` streams were open. */
  sseRefused: Counter;
  /** SSE clients dropped because a write to them timed out (they stopped reading). */
  sseStuckDropped: Counter;
  /** POSTs refused with 429 by the per-client rate limit. */
  rateLimited: Counter;
  /** Clients forgotten by the rate limit's bounded client table. */
  rateLimitEvicted: Counter;
}

/** {@link WebDeps} with defaults applied, as route handlers see them. */
export interface ResolvedWebDeps {
  hot: HotTierQueries;
  archive: ArchiveSettings | undefined;
  live: LiveEventSource;
  pipeline: PipelineMetricsProvider;
  incidentControl: IncidentControl | undefined;
  now: () => Date;
  heartbeatMs: number;
  sseClientCapacity: number;
  /** Slots for SSE streams (`sseMaxClients`). */
  sseSlots: ConnectionSlots;
  sseWriteTimeoutMs: number;
  metrics: WebMetrics;
}

/** The app: `fetch` serves requests (hand it to `Deno.serve` or call it in tests). */
export interface WebApp {
  /** The handler; `info` (Deno.serve's second argument) gives the client address the rate limit keys on. */
  fetch: (req: Request, info?: Deno.ServeHandlerInfo) => Promise<Response>;
  hono: Hono;
  /** The island bundle (built once). */
  bundle(): Promise<IslandBundle>;
}

function createMetrics(): WebMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: "vigil_web_requests_total",
      help: "HTTP requests by route pattern and status",
      labelNames: ["route", "status"] as const,
      registers: [registry],
    }),
    sseClients: new Gauge({
      name: "vigil_web_sse_clients",
      help: "Connected SSE clients",
      registers: [registry],
    }),
    sseDropped: new Counter({
      name: "vigil_web_sse_dropped_frames_total",
      help: "Live frames dropped for slow SSE clients",
      registers: [registry],
    }),
    sseRefused: new Counter({
      name: "vigil_web_sse_refused_total",
      help: "SSE connections refused because the most streams were open",
      registers: [registry],
    }),
    sseStuckDropped: new Counter({
      name: "vigil_web_sse_stuck_clients_dropped_total",
      help: "SSE clients dropped because a write to them timed out (they stopped reading)",
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "vigil_web_rate_limited_total",
      help: "POST requests refused with 429 by the per-client rate limit",
      registers: [registry],
    }),
    rateLimitEvicted: new Counter({
      name: "vigil_web_rate_limit_clients_evicted_total",
      help: "Clients forgotten by the rate limit's bounded client table",
      registers: [registry],
    }),
  };
}

function statusOf(err: unknown): { status: 400 | 404 | 503 | 500; message: string } {
  if (err instanceof BadRequestError) return { status: 400, message: err.message };
  if (err instanceof NotFoundError) return { status: 404, message: err.message };
  if (err instanceof HotTierUnavailableError) return { status: 503, message: err.message };
  if (err instanceof SyntaxError) return { status: 400, message: `Invalid JSON body: ${err.message}` };
  return { status: 500, message: "Internal error; see the server log" };
}

/**
 * Creates the dashboard app.
 *
 * @throws {TypeError} when `routes`, `hot` or `live` is missing
 * @throws {RangeError} for an access token shorter than 16 characters or non-positive timings
 */
export function createWebApp(deps: WebDeps): WebApp {
  if (!deps?.hot || !deps?.live) {
    throw new TypeError("Cannot create the web app as deps.hot and deps.live are required");
  }
  if (!Array.isArray(deps.routes)) {
    throw new TypeError(
      `Cannot create the web app as deps.routes must be a route table: current value is ${deps.routes}`,
    );
  }
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const sseClientCapacity = deps.sseClientCapacity ?? 256;
  const sseWriteTimeoutMs = deps.sseWriteTimeoutMs ?? 10_000;
  for (const [name, value] of [["heartbeatMs", heartbeatMs], ["sseWriteTimeoutMs", sseWriteTimeoutMs]]) {
    if (!(Number(value) > 0)) {
      throw new RangeError(
        `Cannot create the web app as ${name} must be positive: current value is ${value}`,
      );
    }
  }
  const metrics = createMetrics();
  const resolved: ResolvedWebDeps = {
    hot: deps.hot,
    archive: deps.archive,
    live: deps.live,
    pipeline: deps.pipeline ?? { snapshot: () => emptyPipelineSnapshot() },
    incidentControl: deps.incidentControl,
    now: deps.now ?? (() => new Date()),
    heartbeatMs,
    sseClientCapacity,
    sseSlots: new ConnectionSlots(deps.sseMaxClients ?? 100),
    sseWriteTimeoutMs,
    metrics,
  };
  let bundlePromise = deps.bundle;
  const bundle = () => {
    bundlePromise ??= buildIslandBundle().catch((err) => {
      bundlePromise = undefined; // allow a retry on the next request
      throw err;
    });
    return bundlePromise;
  };

  const app = new Hono();
  app.use("*", securityHeaders());
  app.use(
    "*",
    hostGuard({
      accessToken: deps.accessToken,
      listenHost: deps.listenHost,
      allowedHosts: deps.allowedHosts,
    }),
  );
  // Before the token guard: token guessing by POST is limited too.
  app.use(
    "*",
    postRateLimit({
      now: () => performance.now(),
      ...deps.postRateLimit,
      onLimited: () => metrics.rateLimited.inc(),
      onEvicted: (n) => metrics.rateLimitEvicted.inc(n),
    }),
  );
  app.use("*", accessTokenGuard(deps.accessToken));
  app.use("*", csrfGuard());
  app.use("*", async function countRequests(c, next) {
    await next();
    // routePath is the pattern (`/events/:docId`), keeping label cardinality bounded.
    resolved.metrics.requests.inc({ route: c.req.routePath, status: String(c.res.status) });
  });

  const pageError = async (c: Context, status: number, message: string) => {
    const b = await bundle();
    const html = renderPage({
      title: "Error",
      url: new URL(c.req.url),
      bundle: b,
      body: <ErrorPanel status={status} message={message} />,
    });
    return c.html(html, status as 400);
  };

  app.onError(async (err, c) => {
    const { status, message } = statusOf(err);
    if (status === 500) {
      console.error(`vigil web: unhandled error: ${redactSecrets(String(err?.stack ?? err))}`);
    }
    if (new URL(c.req.url).pathname.startsWith("/api/")) return c.json({ error: message }, status);
    try {
      return await pageError(c, status, message);
    } catch {
      return c.text(message, status);
    }
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  app.get("/metrics", async (c) => {
    const own = await resolved.metrics.registry.metrics();
    const extra = deps.extraMetrics ? await deps.extraMetrics() : "";
    return c.text(own + (extra ? "\n" + extra : ""), 200, {
      "Content-Type": resolved.metrics.registry.contentType,
    });
  });
  app.get("/_assets/:file", async (c) => {
    const asset = (await bundle()).files.get(new URL(c.req.url).pathname);
    if (!asset) return c.text("Not found", 404);
    return c.body(asset.contents as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": asset.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
    });
  });
  app.get("/static/favicon.svg", async (c) => {
    const svg = await Deno.readFile(new URL("../../static/favicon.svg", import.meta.url));
    return c.body(svg, 200, { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" });
  });

  const context = (c: Context): RouteContext => ({
    req: c.req.raw,
    url: new URL(c.req.url),
    params: c.req.param() as Record<string, string>,
    deps: resolved,
    hono: c,
  });

  for (const route of deps.routes) {
    if (route.kind === "api") {
      const mod = route.module;
      if (mod.GET) app.get(route.path, (c) => mod.GET!(context(c)));
      if (mod.POST) app.post(route.path, (c) => mod.POST!(context(c)));
    } else {
      const mod = route.module as unknown as PageModule<unknown>;
      app.get(route.path, async (c) => {
        const ctx = context(c);
        const data = await mod.load(ctx);
        if (data instanceof Response) return data;
        const Page = mod.default;
        const title = typeof mod.title === "function" ? mod.title(data) : mod.title;
        return c.html(
          renderPage({
            title,
            url: ctx.url,
            bundle: await bundle(),
            body: <Page data={data} url={ctx.url} />,
          }),
        );
      });
    }
  }
  app.notFound(async (c) => {
    if (new URL(c.req.url).pathname.startsWith("/api/")) return c.json({ error: "Not found" }, 404);
    return await pageError(c, 404, `No page at ${new URL(c.req.url).pathname}`);
  });

  return {
    fetch: (req: Request, info?: Deno.ServeHandlerInfo) => Promise.resolve(app.fetch(req, info)),
    hono: app,
    bundle,
  };
}
