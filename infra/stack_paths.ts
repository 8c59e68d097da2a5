/**
 * Where the local stack keeps its files: everything lives under the git-ignored `.vigil/` folder at the
 * repository root, so a fresh clone installs into itself and `rm -rf .vigil` resets the stack completely.
 *
 * @module
 */

/** Absolute path of the repository root (the folder holding deno.json). */
export const REPO_ROOT: string = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Absolute path of the stack's home folder: `$VIGIL_STACK_HOME` if set, else `<repo>/.vigil`.
 * Every service gets a sub-folder: `lib/` (jars), `data/`, `logs/`, `config/`, and a `pid` file.
 */
export const STACK_HOME: string = Deno.env.get("VIGIL_STACK_HOME") ?? `${REPO_ROOT}/.vigil`;

/** Maven local repository used by the installer (kept inside the workspace so CI can cache it). */
export const MAVEN_REPO: string = `${STACK_HOME}/m2`;

/** Folders and files of one stack service. */
export interface ServicePaths {
  /** The service's home folder, `.vigil/<name>`. */
  home: string;
  /** Runtime jars copied by Maven. */
  lib: string;
  /** Persistent data (Kafka log dirs, OpenSearch indices, S3 objects). */
  data: string;
  /** Log files; `process.log` holds the process's stdout and stderr. */
  logs: string;
  /** Generated configuration files. */
  config: string;
  /** The pid file written when the service is started. */
  pidFile: string;
  /** The stdout/stderr capture of the process. */
  processLog: string;
}

/**
 * Returns the folders and files of a service.
 *
 * @param name the service name, e.g. `kafka`
 */
export function servicePaths(name: string): ServicePaths {
  const home = `${STACK_HOME}/${name}`;
  return {
    home,
    lib: `${home}/lib`,
    data: `${home}/data`,
    logs: `${home}/logs`,
    config: `${home}/config`,
    pidFile: `${home}/pid`,
    processLog: `${home}/logs/process.log`,
  };
}
