/**
 * Server-side rendering of a page module into a full HTML document.
 *
 * @module
 */
import { renderToString } from "preact-render-to-string";
import type { JSX } from "preact";
import { PageShell } from "./components/page_shell.tsx";
import type { IslandBundle } from "./island_bundler.ts";

/** Renders `body` inside the page shell; returns the HTML text with its doctype. */
export function renderPage(
  { title, url, bundle, body }: { title: string; url: URL; bundle: IslandBundle; body: JSX.Element },
): string {
  return "<!DOCTYPE html>" + renderToString(
    <PageShell
      title={title}
      path={url.pathname}
      query={url.searchParams}
      styleUrl={bundle.styleUrl}
      scriptUrl={bundle.scriptUrl}
    >
      {body}
    </PageShell>,
  );
}

/** A minimal error body for pages (the message is rendered as text). */
export function ErrorPanel({ status, message }: { status: number; message: string }): JSX.Element {
  return (
    <section class="panel error-panel" role="alert">
      <h1>{status === 400 ? "Invalid request" : status === 404 ? "Not found" : "Something went wrong"}</h1>
      <p class="mono">{message}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </section>
  );
}
