/**
 * The document around every page: head (stylesheet, module script), top bar with navigation, main area.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";

/** Navigation entries, in order. */
export const NAV = [
  { href: "/", label: "Overview" },
  { href: "/events", label: "Events" },
  { href: "/anomalies", label: "Incidents" },
  { href: "/templates", label: "Templates" },
  { href: "/pipeline", label: "Pipeline" },
] as const;

/** Props of {@link PageShell}. */
export interface PageShellProps {
  title: string;
  /** Current path, to mark the active nav entry. */
  path: string;
  styleUrl: string;
  scriptUrl: string;
  children: ComponentChildren;
}

function isActive(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(href + "/");
}

/** The full HTML document for a page. */
export function PageShell({ title, path, styleUrl, scriptUrl, children }: PageShellProps): JSX.Element {
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
                href={n.href}
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
