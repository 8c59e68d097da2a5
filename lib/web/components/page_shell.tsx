/**
 * The document around every page: head (stylesheet, module script), top bar with navigation, main area.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";

/** Navigation entries, in order; `timed` pages show a time window, which the navigation carries over. */
export const NAV = [
  { href: "/", label: "Overview", timed: true },
  { href: "/events", label: "Events", timed: true },
  { href: "/anomalies", label: "Incidents", timed: true },
  { href: "/templates", label: "Templates", timed: true },
  { href: "/pipeline", label: "Pipeline", timed: false },
] as const;

/**
 * The link of a navigation entry: a timed page keeps the current time window (`range`, `from`, `to`), so a
 * window opened from a link `start` printed (a replayed file's dates) stays chosen from page to page.
 */
export function navHref(entry: (typeof NAV)[number], query?: URLSearchParams): string {
  if (!entry.timed || !query?.get("range")) return entry.href;
  const keep = new URLSearchParams();
  for (const key of ["range", "from", "to"]) {
    const value = query.get(key);
    if (value) keep.set(key, value);
  }
  return `${entry.href}?${keep}`;
}

/** Props of {@link PageShell}. */
export interface PageShellProps {
  title: string;
  /** Current path, to mark the active nav entry. */
  path: string;
  /** Current query: its time window is carried over by the navigation. */
  query?: URLSearchParams;
  styleUrl: string;
  scriptUrl: string;
  children: ComponentChildren;
}

function isActive(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(href + "/");
}

/** The full HTML document for a page. */
export function PageShell(
  { title, path, query, styleUrl, scriptUrl, children }: PageShellProps,
): JSX.Element {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="dark light" />
        <title>{`${title} · vigil`}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={styleUrl} />
        <script type="module" src={scriptUrl} />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="topbar">
          <a class="brand" href="/">
            <span class="brand-mark" aria-hidden="true">◉</span> vigil
          </a>
          <nav aria-label="Main">
            {NAV.map((n) => (
              <a
                href={navHref(n, query)}
                class={isActive(n.href, path) ? "active" : undefined}
                aria-current={isActive(n.href, path) ? "page" : undefined}
              >
                {n.label}
              </a>
            ))}
          </nav>
        </header>
        <main id="main">
          {children}
        </main>
      </body>
    </html>
  );
}
