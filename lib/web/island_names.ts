/**
 * Naming rules for islands, shared by the bundler (browser side) and the SSR marker (server side).
 *
 * @module
 */

/** The island name for a file name: `LiveChart.tsx` → `LiveChart`; `undefined` for non-islands. */
export function islandNameOf(fileName: string): string | undefined {
  const m = /^([A-Z][A-Za-z0-9]*)\.tsx$/.exec(fileName);
  return m ? m[1] : undefined;
}

/** A file URL as a local path. */
export function fromFileUrl(url: URL): string {
  if (url.protocol !== "file:") {
    throw new TypeError(`Cannot convert ${url.href} to a path as it is not a file URL`);
  }
  return decodeURIComponent(url.pathname);
}
