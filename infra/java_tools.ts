/**
 * Locates the Java runtime and Maven the stack needs, failing with a message that names what to install.
 *
 * @module
 */
import { StackError } from "./stack_error.ts";

/** The lowest Java feature release the stack's services run on (Kafka 4, OpenSearch 2.19, s3proxy 4). */
export const MIN_JAVA_VERSION = 17;

/** A located Java runtime. */
export interface JavaRuntime {
  /** Absolute path or bare name of the `java` executable. */
  java: string;
  /** Feature release, e.g. 17. */
  version: number;
}

async function run(cmd: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", stdin: "null" })
      .output();
    const dec = new TextDecoder();
    return { ok: out.success, text: dec.decode(out.stdout) + dec.decode(out.stderr) };
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return { ok: false, text: "" };
    throw err;
  }
}

/**
 * Parses the feature release from `java -version` output.
 *
 * @param text the output of `java -version`
 * @returns the feature release (8 for "1.8.0_x", 17 for "17.0.15"), or undefined when none is found
 */
export function parseJavaVersion(text: string): number | undefined {
  const m = text.match(/version "(\d+)(?:\.(\d+))?/);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] !== undefined ? Number(m[2]) : major;
}

/**
 * Finds `java` (`$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` on PATH) and checks its version.
 *
 * @throws {StackError} when Java is missing or older than {@link MIN_JAVA_VERSION}
 */
export async function findJava(): Promise<JavaRuntime> {
  const home = Deno.env.get("JAVA_HOME");
  const java = home ? `${home}/bin/java` : "java";
  const res = await run(java, ["-version"]);
  const version = parseJavaVersion(res.text);
  if (!res.ok || version === undefined) {
    throw new StackError(
      `Java ${MIN_JAVA_VERSION}+ is required by the local stack but ${java} could not be run. ` +
        `Install a JDK (e.g. 'apt-get install openjdk-17-jdk-headless') or set JAVA_HOME.`,
    );
  }
  if (version < MIN_JAVA_VERSION) {
    throw new StackError(
      `Java ${MIN_JAVA_VERSION}+ is required by the local stack but ${java} is Java ${version}. ` +
        `Install a newer JDK (e.g. 'apt-get install openjdk-17-jdk-headless') or point JAVA_HOME at one.`,
    );
  }
  return { java, version };
}

/**
 * Finds Maven (`mvn` on PATH).
 *
 * @returns the executable name
 * @throws {StackError} when Maven is missing
 */
export async function findMaven(): Promise<string> {
  const res = await run("mvn", ["-v"]);
  if (!res.ok) {
    throw new StackError(
      "Maven is required to install the local stack's jars but 'mvn' was not found on PATH. " +
        "Install it (e.g. 'apt-get install maven').",
    );
  }
  return "mvn";
}
