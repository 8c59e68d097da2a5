/**
 * Builds the browser bundle once: every `islands/*.tsx` behind a small hydration entry, plus the stylesheet,
 * with npm:esbuild. Outputs are kept in memory under content-hashed names, so they can be cached forever.
 *
 * @module
 */
import * as esbuild from "esbuild";
import { fromFileUrl, islandNameOf } from "./island_names.ts";

/** One built file. */
export interface BuiltAsset {
  contents: Uint8Array;
  contentType: string;
}

/** The result of a build: URLs to put in pages and the files behind them. */
export interface IslandBundle {
  /** URL of the hydration entry script. */
  scriptUrl: string;
  /** URL of the stylesheet. */
  styleUrl: string;
  /** Island names found. */
  islands: string[];
  /** Files by URL path (entry, shared chunks, lazily loaded chunks such as uPlot, CSS). */
  files: Map<string, BuiltAsset>;
}

/** Options of {@link buildIslandBundle}. */
export interface IslandBundleOptions {
  /** Folder of island components. Default `<repo>/islands/`. */
  islandsDir?: URL;
  /** Stylesheet entry. Default `<repo>/static/vigil.css`. */
  stylesheet?: URL;
  /** URL prefix the files are served under. Default `/_assets/`. */
  publicPath?: string;
  /** Minify. Default true. */
  minify?: boolean;
}

const REPO = new URL("../../", import.meta.url);

/** Lists island files (PascalCase `.tsx`, not starting with `_`). */
export async function listIslands(dir: URL): Promise<{ name: string; path: string }[]> {
  const out: { name: string; path: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = entry.isFile ? islandNameOf(entry.name) : undefined;
    if (name) out.push({ name, path: fromFileUrl(new URL(entry.name, dir)) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The hydration entry: finds `[data-island]` elements and hydrates each with its JSON props. */
function entrySource(islands: { name: string; path: string }[]): string {
  const imports = islands.map((isl, i) => `import I${i} from ${JSON.stringify(isl.path)};`).join("\n");
  const table = islands.map((isl, i) => `${JSON.stringify(isl.name)}: I${i}`).join(",\n  ");
  return `${imports}
import { h, hydrate } from "preact";
const islands = {
  ${table}
};
for (const el of document.querySelectorAll("[data-island]")) {
  const component = islands[el.getAttribute("data-island")];
  if (!component) continue;
  let props = {};
  try { props = JSON.parse(el.getAttribute("data-props") || "{}"); } catch (e) { console.error("vigil: bad island props", e); }
  hydrate(h(component, props), el);
}
`;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
};

/**
 * Bundles islands and CSS.
 *
 * @throws {Error} with esbuild's messages when the build fails
 */
export async function buildIslandBundle(options: IslandBundleOptions = {}): Promise<IslandBundle> {
  const {
    islandsDir = new URL("islands/", REPO),
    stylesheet = new URL("static/vigil.css", REPO),
    publicPath = "/_assets/",
    minify = true,
  } = options;
  const islands = await listIslands(islandsDir);
  const repoDir = fromFileUrl(REPO);
  try {
    const result = await esbuild.build({
      entryPoints: { islands: "vigil:islands-entry", vigil: fromFileUrl(stylesheet) },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome110", "firefox110", "safari16"],
      jsx: "automatic",
      jsxImportSource: "preact",
      minify,
      write: false,
      outdir: "/out",
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      assetNames: "asset-[hash]",
      publicPath,
      absWorkingDir: repoDir,
      nodePaths: [new URL("node_modules/", REPO).pathname],
      logLevel: "silent",
      plugins: [{
        name: "vigil-islands-entry",
        setup(build) {
          build.onResolve({ filter: /^vigil:islands-entry$/ }, () => ({ path: "entry", namespace: "vigil" }));
          build.onLoad({ filter: /.*/, namespace: "vigil" }, () => ({
            contents: entrySource(islands),
            loader: "js",
            resolveDir: repoDir,
          }));
        },
      }],
    });
    const files = new Map<string, BuiltAsset>();
    let scriptUrl = "";
    let styleUrl = "";
    for (const file of result.outputFiles) {
      const base = file.path.slice(file.path.lastIndexOf("/") + 1);
      const ext = base.slice(base.lastIndexOf("."));
      const url = publicPath + base;
      files.set(url, {
        contents: file.contents,
        contentType: CONTENT_TYPES[ext] ?? "application/octet-stream",
      });
      if (base.startsWith("islands-") && ext === ".js") scriptUrl = url;
      if (base.startsWith("vigil-") && ext === ".css") styleUrl = url;
    }
    return { scriptUrl, styleUrl, islands: islands.map((i) => i.name), files };
  } finally {
    // esbuild keeps a child process for incremental builds; we build once, so let it go.
    await esbuild.stop();
  }
}
