/**
 * Summarises a V8 CPU profile (`.cpuprofile`, written by `deno run --cpu-prof`) by function: self time — the
 * samples whose top frame is the function — and the share of all samples, so a bench report can say where an
 * engine's CPU per event goes. Functions are named `name (file:line)`, with the file relative to the repo
 * and npm packages by package name.
 *
 * @module
 */

/** One function's share of a profile. */
export interface ProfileEntry {
  /** `name (file:line)`. */
  fn: string;
  /** Self time, ms. */
  selfMs: number;
  /** Self time ÷ the profile's sampled time. */
  share: number;
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
/** The parts of V8's `.cpuprofile` JSON read here. */
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A readable name for a frame (see module doc). */
export function frameName(f: CallFrame): string {
  const name = f.functionName || "(anonymous)";
  if (f.url === "") return name;
  const npm = f.url.match(/node_modules\/(?:\.deno\/)?(@[^/]+\/[^/@]+|[^/@]+)/);
  const file = npm
    ? `npm:${npm[1]}`
    : f.url.replace(/^file:\/\/.*?\/(?=(?:lib|engine|actors|bench|cli)\/)/, "");
  return `${name} (${file}:${f.lineNumber + 1})`;
}

/**
 * The `top` functions by self time. Idle and garbage-collector frames are kept under their V8 names
 * (`(idle)`, `(garbage collector)`, `(program)`): what the process did not spend in code is part of the story.
 */
export function summariseProfile(profile: CpuProfile, top = 15): ProfileEntry[] {
  const nameOf = new Map<number, string>();
  for (const n of profile.nodes) nameOf.set(n.id, frameName(n.callFrame));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    const fn = nameOf.get(profile.samples[i]) ?? "(unknown)";
    self.set(fn, (self.get(fn) ?? 0) + us);
    total += us;
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({
    fn,
    selfMs: us / 1000,
    share: total > 0 ? us / total : 0,
  }));
}

/** Reads every `.cpuprofile` in `dir` and summarises each (newest first). */
export async function summariseProfiles(dir: string, top = 15): Promise<ProfileEntry[][]> {
  const files: { path: string; mtime: number }[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (!e.isFile || !e.name.endsWith(".cpuprofile")) continue;
    const path = `${dir}/${e.name}`;
    files.push({ path, mtime: (await Deno.stat(path)).mtime?.getTime() ?? 0 });
  }
  files.sort((a, b) => b.mtime - a.mtime);
  const out: ProfileEntry[][] = [];
  for (const f of files) out.push(summariseProfile(JSON.parse(await Deno.readTextFile(f.path)), top));
  return out;
}
