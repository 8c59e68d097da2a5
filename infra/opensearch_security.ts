/**
 * The OpenSearch security plugin (the real one, `org.opensearch.plugin:opensearch-security`, from Maven
 * Central) for a secured node: HTTPS and TLS transport with a given certificate, basic-auth users from
 * `internal_users.yml` (bcrypt-hashed by the plugin's own `Hasher`), its configuration index created from
 * those files on first start (`allow_default_init_securityindex`). The codelibs runner loads the plugin from
 * the classpath like the node's modules.
 *
 * @module
 */
import { classpathOf, installJars } from "./maven_install.ts";
import { StackError } from "./stack_error.ts";
import { servicePaths } from "./stack_paths.ts";

/** The plugin class the runner loads (`-pluginTypes`). */
export const SECURITY_PLUGIN_CLASS = "org.opensearch.security.OpenSearchSecurityPlugin";

/** Settings of a secured node. */
export interface OpenSearchSecurity {
  /** PEM CA that signed `certFile` (trusted for transport; what clients trust). */
  caFile: string;
  /** PEM node certificate for HTTP and transport; its subject must be `CN=localhost`. */
  certFile: string;
  /** PEM (PKCS#8) key of `certFile`. */
  keyFile: string;
  /** Basic-auth users, each with every permission (backend role `admin` → `all_access`). */
  users: readonly { name: string; password: string }[];
}

/** The security plugin's security configuration files copied from its distribution as they are. */
const DISTRIBUTION_CONFIG = [
  "action_groups.yml",
  "allowlist.yml",
  "audit.yml",
  "config.yml",
  "nodes_dn.yml",
  "roles.yml",
  "roles_mapping.yml",
  "tenants.yml",
];

/**
 * Installs the plugin (Maven, `infra/poms/opensearch-security.xml`) and unpacks it; idempotent.
 *
 * @returns the unpacked plugin folder (jars, `config/`)
 * @throws {StackError} when Maven or unzip fail
 */
export async function installSecurityPlugin(log: (line: string) => void = () => {}): Promise<string> {
  const home = servicePaths("opensearch-security").home;
  const dist = `${home}/dist`;
  const plugin = `${home}/plugin`;
  const fresh = await installJars("opensearch-security.xml", dist, log);
  const unpacked = await Deno.stat(`${plugin}/plugin-descriptor.properties`).then(() => true, () => false);
  if (fresh || !unpacked) {
    const zip = [...Deno.readDirSync(dist)].find((e) => e.name.endsWith(".zip"));
    if (zip === undefined) throw new StackError(`No plugin zip in ${dist}: remove it and try again`);
    await Deno.remove(plugin, { recursive: true }).catch(() => {});
    const out = await new Deno.Command("unzip", {
      args: ["-q", `${dist}/${zip.name}`, "-d", plugin],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new StackError(`Unpacking ${zip.name} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
  }
  return plugin;
}

/** A jar's artifact name: `netty-codec-4.1.118.Final.jar` → `netty-codec`. */
function artifactOf(jar: string): string {
  return jar.replace(/-\d[\w.-]*\.jar$/, "");
}

/**
 * The node's classpath plus the plugin's jars; an artifact the node already has is taken from the node (the
 * plugin bundles the same netty, httpclient, ... and one flat classpath holds one version of each).
 */
export async function securedClasspath(nodeLib: string, pluginDir: string): Promise<string> {
  const node = await classpathOf(nodeLib);
  const have = new Set(node.split(":").map((p) => artifactOf(p.slice(p.lastIndexOf("/") + 1))));
  const extra = [...Deno.readDirSync(pluginDir)]
    .filter((e) => e.isFile && e.name.endsWith(".jar") && !have.has(artifactOf(e.name)))
    .map((e) => `${pluginDir}/${e.name}`)
    .sort();
  return [node, ...extra].join(":");
}

/** The opensearch.yml lines of a secured node (paths relative to its config folder). */
export function securityYamlLines(): string[] {
  return [
    "plugins.security.ssl.transport.pemcert_filepath: node.pem",
    "plugins.security.ssl.transport.pemkey_filepath: node.key",
    "plugins.security.ssl.transport.pemtrustedcas_filepath: ca.pem",
    "plugins.security.ssl.transport.enforce_hostname_verification: false",
    "plugins.security.ssl.http.enabled: true",
    "plugins.security.ssl.http.pemcert_filepath: node.pem",
    "plugins.security.ssl.http.pemkey_filepath: node.key",
    "plugins.security.ssl.http.pemtrustedcas_filepath: ca.pem",
    // The first start writes the security index from config/opensearch-security/*.yml (no securityadmin run).
    "plugins.security.allow_default_init_securityindex: true",
    'plugins.security.nodes_dn: ["CN=localhost"]',
    "plugins.security.audit.type: noop",
  ];
}

/**
 * Writes the node's certificates and the plugin's configuration (`opensearch-security/`) into `configDir`,
 * with `internal_users.yml` holding the given users.
 *
 * @param java the java executable (runs the plugin's password hasher)
 * @param classpath {@link securedClasspath}
 */
export async function writeSecurityConfig(
  configDir: string,
  pluginDir: string,
  security: OpenSearchSecurity,
  java: string,
  classpath: string,
): Promise<void> {
  const dir = `${configDir}/opensearch-security`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(security.caFile, `${configDir}/ca.pem`);
  await Deno.copyFile(security.certFile, `${configDir}/node.pem`);
  await Deno.copyFile(security.keyFile, `${configDir}/node.key`);
  for (const file of DISTRIBUTION_CONFIG) {
    await Deno.copyFile(`${pluginDir}/config/${file}`, `${dir}/${file}`);
  }
  const users: string[] = ["_meta:", '  type: "internalusers"', "  config_version: 2"];
  for (const { name, password } of security.users) {
    users.push(
      `${JSON.stringify(name)}:`,
      `  hash: ${JSON.stringify(await bcrypt(java, classpath, password))}`,
    );
    users.push("  backend_roles:", '  - "admin"');
  }
  await Deno.writeTextFile(`${dir}/internal_users.yml`, ["---", ...users, ""].join("\n"));
}

/** The plugin's bcrypt hash of a password (`org.opensearch.security.tools.Hasher`, as its hash.sh runs it). */
async function bcrypt(java: string, classpath: string, password: string): Promise<string> {
  const out = await new Deno.Command(java, {
    args: ["-cp", classpath, "org.opensearch.security.tools.Hasher", "-env", "VIGIL_HASH_PASSWORD"],
    env: { VIGIL_HASH_PASSWORD: password },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const hash = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (!out.success || !hash.startsWith("$2")) {
    throw new StackError(
      `Hashing a password for OpenSearch failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return hash;
}
