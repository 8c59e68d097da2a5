/**
 * The layering rules of STYLE.md, checked on the source itself: `lib/` never imports `routes/` (the app depends
 * on the library, never the other way); `bench/` and `tests/` never import each other (what both need lives in
 * `testing/`, which imports neither); nothing outside `tests/` imports `tests/` (a unit test beside its file
 * takes its helpers from `testing/` too); `engine/` knows nothing of Kafka, OpenSearch or S3 — neither directly nor
 * through what it imports — nor of the `actors/` that adapt them.
 *
 * Imports are read from the text (static `import`/`export … from` at the start of a line, side-effect imports
 * and `import("…")`), so doc-comment examples, whose lines start with `*`, are not counted. A bench a test runs
 * as a child process (`deno run bench/…`) is not an import and is allowed.
 */
import assert from "node:assert/strict";

const REPO = new URL("../../", import.meta.url);
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".vigil"]);

/** Every import specifier in a TypeScript source text. */
function importSpecifiers(source: string): string[] {
  const patterns = [
    /^[ \t]*(?:import|export)\b[^"'`;]*?\bfrom\s*["']([^"']+)["']/gm,
    /^[ \t]*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1]));
}

/** A repository file's imports: other repository files (paths from the root) and packages (bare specifiers). */
interface FileImports {
  files: string[];
  packages: string[];
}

/** Resolves a relative specifier of `from` (a path from the root) to a path from the root. */
function resolveRelative(from: string, specifier: string): string {
  const url = new URL(specifier, new URL(from, "file:///repo/"));
  return decodeURIComponent(url.pathname.slice("/repo/".length));
}

/** The import graph of `files` ({ path from the root: source text }). */
function importGraph(files: Map<string, string>): Map<string, FileImports> {
  const graph = new Map<string, FileImports>();
  for (const [path, source] of files) {
    const imports: FileImports = { files: [], packages: [] };
    for (const s of importSpecifiers(source)) {
      if (s.startsWith("./") || s.startsWith("../")) imports.files.push(resolveRelative(path, s));
      else imports.packages.push(s);
    }
    graph.set(path, imports);
  }
  return graph;
}

async function readSources(dir = REPO, prefix = ""): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const entry of Deno.readDir(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory && !SKIPPED_DIRS.has(entry.name)) {
      for (const [p, s] of await readSources(new URL(`${entry.name}/`, dir), `${path}/`)) out.set(p, s);
    } else if (entry.isFile && /\.tsx?$/.test(entry.name)) {
      out.set(path, await Deno.readTextFile(new URL(entry.name, dir)));
    }
  }
  return out;
}

/**
 * A rule on direct imports: files under `from` (every file when `""`), except those under `except`, must not
 * import files under any of `notInto`.
 */
interface DirectRule {
  from: string;
  except?: string;
  notInto: string[];
}

const DIRECT_RULES: DirectRule[] = [
  { from: "lib/", notInto: ["routes/"] },
  { from: "tests/", notInto: ["bench/"] },
  // The shared helpers depend on neither side, or the two would meet through them.
  { from: "testing/", notInto: ["bench/"] },
  // Covers bench/ → tests/ and testing/ → tests/ as well as unit tests beside their file.
  { from: "", except: "tests/", notInto: ["tests/"] },
];

/** Direct imports that break a rule, as `importer → imported`. */
function directViolations(graph: Map<string, FileImports>, rules: DirectRule[]): string[] {
  const found: string[] = [];
  for (const [path, { files }] of graph) {
    const applies = (r: DirectRule) => path.startsWith(r.from) && !(r.except && path.startsWith(r.except));
    for (const rule of rules.filter(applies)) {
      for (const f of files.filter((f) => rule.notInto.some((dir) => f.startsWith(dir)))) {
        found.push(`${path} → ${f}`);
      }
    }
  }
  return found.sort();
}

/** Packages that talk to Kafka, OpenSearch/Elasticsearch or S3. */
const SERVICE_PACKAGE = /kafka|opensearch|elasticsearch|s3/i;

/**
 * Files reachable from `roots` through repository imports that are adapters (`actors/`) or import a service
 * package, each with the chain of imports that reaches it.
 */
function serviceReach(graph: Map<string, FileImports>, roots: string[]): string[] {
  const found: string[] = [];
  const via = new Map<string, string[]>(roots.map((r) => [r, [r]]));
  const queue = [...roots];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const chain = via.get(path)!;
    if (path.startsWith("actors/")) {
      found.push(chain.join(" → "));
      continue;
    }
    const imports = graph.get(path);
    for (const p of imports?.packages.filter((p) => SERVICE_PACKAGE.test(p)) ?? []) {
      found.push([...chain, p].join(" → "));
    }
    for (const f of imports?.files ?? []) {
      if (!via.has(f)) {
        via.set(f, [...chain, f]);
        queue.push(f);
      }
    }
  }
  return found.sort();
}

const sources = await readSources();
const graph = importGraph(sources);

Deno.test("import boundaries: the scan reads the repository's imports (imports it must see, it sees)", () => {
  assert.ok(sources.size > 200, `only ${sources.size} source files found under ${REPO.pathname}`);
  // Known edges of the product: the app hands the routes to the library, the engine names its parts.
  assert.ok(
    graph.get("cli/web.ts")?.files.includes("routes/_manifest.ts"),
    "cli/web.ts → routes/_manifest.ts",
  );
  assert.ok(graph.get("engine/mod.ts")?.files.includes("engine/actor_system.ts"), "engine/mod.ts re-exports");
  assert.ok(
    graph.get("actors/kafka_source.ts")?.packages.some((p) => SERVICE_PACKAGE.test(p)) ||
      graph.get("actors/kafka_source.ts")?.files.some((f) => f.startsWith("lib/kafka/")),
    "actors/kafka_source.ts reaches Kafka",
  );
});

Deno.test("import boundaries: the rules catch what they forbid (a made-up tree breaking each)", () => {
  const made = importGraph(
    new Map([
      ["lib/web/app.tsx", 'import { ROUTES } from "../../routes/_manifest.ts";\n'],
      ["bench/b.ts", 'import {\n  a,\n} from "../tests/delivery/x.ts";\n'],
      ["tests/t_test.ts", 'const m = await import("../bench/b.ts");\n'],
      ["testing/h.ts", 'export { y } from "../tests/y.ts";\n'],
      ["engine/e.ts", 'import { q } from "../lib/q.ts";\n/**\n * import { k } from "kafkajs";\n */\n'],
      ["lib/q.ts", 'import { S3Client } from "@aws-sdk/client-s3";\nimport { r } from "../actors/r.ts";\n'],
      ["lib/ok.ts", '// import { ROUTES } from "../routes/_manifest.ts";\nimport "./q.ts";\n'],
      ["actors/a_test.ts", 'import { f } from "../tests/delivery/f.ts";\n'],
      ["tests/delivery/d_test.ts", 'import { f } from "./f.ts";\nimport { u } from "../../testing/u.ts";\n'],
    ]),
  );
  assert.deepEqual(directViolations(made, DIRECT_RULES), [
    "actors/a_test.ts → tests/delivery/f.ts",
    "bench/b.ts → tests/delivery/x.ts",
    "lib/web/app.tsx → routes/_manifest.ts",
    "testing/h.ts → tests/y.ts",
    "tests/t_test.ts → bench/b.ts",
  ]);
  // The doc-comment import of kafkajs in engine/e.ts is not an import; the ones through lib/q.ts are.
  assert.deepEqual(serviceReach(made, ["engine/e.ts"]), [
    "engine/e.ts → lib/q.ts → @aws-sdk/client-s3",
    "engine/e.ts → lib/q.ts → actors/r.ts",
  ]);
});

Deno.test("import boundaries: lib/ never imports routes/; bench/ and tests/ never import each other; nothing outside tests/ imports tests/", () => {
  assert.deepEqual(directViolations(graph, DIRECT_RULES), []);
});

Deno.test("import boundaries: engine/ reaches neither actors/ nor a Kafka, OpenSearch or S3 library", () => {
  const engineFiles = [...graph.keys()].filter((p) => p.startsWith("engine/"));
  assert.ok(engineFiles.length > 20, `engine/ has ${engineFiles.length} files`);
  assert.deepEqual(serviceReach(graph, engineFiles), []);
});
