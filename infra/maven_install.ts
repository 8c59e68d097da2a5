/**
 * Installs a service's jars: `mvn dependency:copy-dependencies` on a small pom in `infra/poms/`, into the
 * service's `lib/` folder. A stamp file records the pom's content hash so that a second `up` skips Maven,
 * and a changed pom (new version) re-installs.
 *
 * @module
 */
import { findMaven } from "./java_tools.ts";
import { StackError } from "./stack_error.ts";
import { MAVEN_REPO, REPO_ROOT } from "./stack_paths.ts";

const STAMP = ".installed";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether `libDir` holds the jars of the current version of `pomName`.
 *
 * @param pomName file name under `infra/poms/`, e.g. `kafka.xml`
 * @param libDir the folder the jars are copied into
 */
export async function isInstalled(pomName: string, libDir: string): Promise<boolean> {
  const pom = await Deno.readTextFile(`${REPO_ROOT}/infra/poms/${pomName}`);
  try {
    return (await Deno.readTextFile(`${libDir}/${STAMP}`)).trim() === await sha256(pom);
  } catch {
    return false;
  }
}

/**
 * Copies the runtime classpath of `infra/poms/<pomName>` into `libDir` (replacing what was there), using the
 * workspace-local Maven repository `.vigil/m2` (override with `VIGIL_MAVEN_REPO`). Skips the work when the
 * stamp matches.
 *
 * @param pomName file name under `infra/poms/`
 * @param libDir the destination folder
 * @param log receives progress lines
 * @returns true when Maven ran, false when the jars were already installed
 * @throws {StackError} when Maven is missing or fails (the message carries Maven's last output lines)
 */
export async function installJars(
  pomName: string,
  libDir: string,
  log: (line: string) => void = () => {},
): Promise<boolean> {
  if (await isInstalled(pomName, libDir)) return false;
  const mvn = await findMaven();
  const pomPath = `${REPO_ROOT}/infra/poms/${pomName}`;
  const pom = await Deno.readTextFile(pomPath);
  const tmp = `${libDir}.tmp`;
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
  const repo = Deno.env.get("VIGIL_MAVEN_REPO") ?? MAVEN_REPO;
  log(`installing jars from infra/poms/${pomName} (Maven repository ${repo})`);
  const started = performance.now();
  const out = await new Deno.Command(mvn, {
    args: [
      "-B",
      "-q",
      "-f",
      pomPath,
      `-Dmaven.repo.local=${repo}`,
      "dependency:copy-dependencies",
      "-DincludeScope=runtime",
      `-DoutputDirectory=${tmp}`,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const dec = new TextDecoder();
    const tail = (dec.decode(out.stdout) + dec.decode(out.stderr)).trim().split("\n").slice(-15).join("\n");
    throw new StackError(`Maven could not install the jars of infra/poms/${pomName}:\n${tail}`);
  }
  await Deno.writeTextFile(`${tmp}/${STAMP}`, await sha256(pom) + "\n");
  await Deno.remove(libDir, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, libDir);
  log(`installed infra/poms/${pomName} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

/**
 * The Java classpath made of every jar in `libDir`.
 */
export async function classpathOf(libDir: string): Promise<string> {
  const jars: string[] = [];
  for await (const entry of Deno.readDir(libDir)) {
    if (entry.isFile && entry.name.endsWith(".jar")) jars.push(`${libDir}/${entry.name}`);
  }
  if (jars.length === 0) throw new StackError(`No jars in ${libDir}: remove it and run 'deno task stack up'`);
  return jars.sort().join(":");
}
