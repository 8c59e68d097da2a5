/**
 * The shapes of route modules under `routes/` (Fresh-style): pages export `load` and a default component, API
 * modules export `GET` / `POST` handlers. `routes/_manifest.ts` maps URL patterns to modules.
 *
 * @module
 */
import type { Context } from "hono";
import type { JSX } from "preact";
import type { ResolvedWebDeps } from "./create_web_app.tsx";

/** What a route handler gets. */
export interface RouteContext {
  req: Request;
  url: URL;
  /** Path parameters (`:docId` → `params.docId`). */
  params: Record<string, string>;
  deps: ResolvedWebDeps;
  /** The underlying hono context, for streaming responses. */
  hono: Context;
}

/** A page: data loader plus component. `load` may return a Response to short-circuit (redirect, 404). */
export interface PageModule<D = unknown> {
  title: string | ((data: D) => string);
  load(ctx: RouteContext): Promise<D | Response> | D | Response;
  default: (props: { data: D; url: URL }) => JSX.Element;
}

/** An API endpoint module. */
export interface ApiModule {
  GET?: (ctx: RouteContext) => Response | Promise<Response>;
  POST?: (ctx: RouteContext) => Response | Promise<Response>;
}

/** A manifest entry. */
export type RouteEntry =
  | { path: string; kind: "page"; module: PageModule<never> }
  | { path: string; kind: "api"; module: ApiModule };
