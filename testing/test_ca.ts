/**
 * A throwaway certificate authority for the TLS tests, made with `openssl`: a CA, a server certificate for
 * `127.0.0.1` / `localhost` signed by it (PEM, and as a PKCS#12 keystore for Java servers), and optional
 * client certificates. Nothing is reused between runs.
 *
 * @module
 */

/** The files of a {@link makeTestCa} authority. */
export interface TestCa {
  /** Folder holding every file. */
  dir: string;
  /** The CA's certificate (what clients trust). */
  caFile: string;
  /** Server certificate (PEM, signed by the CA, SANs 127.0.0.1 and localhost). */
  serverCertFile: string;
  /** The server certificate's private key (PEM, PKCS#8, unencrypted). */
  serverKeyFile: string;
  /** Server key + certificate + CA as PKCS#12 (password {@link TestCa.keystorePassword}). */
  keystoreFile: string;
  /** Password of the keystore and its key. */
  keystorePassword: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
}

/**
 * Creates a CA and a server certificate in `dir` (made when absent).
 *
 * @param dir where the files go
 * @param name the CA's common name (two CAs with different names do not trust each other's certificates)
 */
export async function makeTestCa(dir: string, name = "vigil test CA"): Promise<TestCa> {
  await Deno.mkdir(dir, { recursive: true });
  const keystorePassword = crypto.randomUUID().replaceAll("-", "");
  await openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    `/CN=${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ], dir); // deno-fmt-ignore
  await issueCertificate(dir, "server", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
  await openssl([
    "pkcs12",
    "-export",
    "-in",
    "server.pem",
    "-inkey",
    "server.key",
    "-certfile",
    "ca.pem",
    "-name",
    "server",
    "-out",
    "server.p12",
    "-passout",
    `pass:${keystorePassword}`,
  ], dir); // deno-fmt-ignore
  return {
    dir,
    caFile: `${dir}/ca.pem`,
    serverCertFile: `${dir}/server.pem`,
    serverKeyFile: `${dir}/server.key`,
    keystoreFile: `${dir}/server.p12`,
    keystorePassword,
  };
}

/**
 * Issues `<dir>/<file>.pem` and `<dir>/<file>.key` (PKCS#8: OpenSSL 3's default) signed by the CA in `dir`.
 *
 * @param dir a {@link makeTestCa} folder
 * @param file base name of the files
 * @param commonName the certificate's subject CN
 * @param extension an extra X.509 v3 extension line, e.g. `subjectAltName=…`
 * @returns the certificate's and key's paths
 */
export async function issueCertificate(
  dir: string,
  file: string,
  commonName: string,
  extension = "basicConstraints=CA:FALSE",
): Promise<{ certFile: string; keyFile: string }> {
  await openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${file}.key`,
    "-out",
    `${file}.csr`,
    "-subj",
    `/CN=${commonName}`,
  ], dir); // deno-fmt-ignore
  await Deno.writeTextFile(`${dir}/${file}.ext`, `${extension}\n`);
  await openssl([
    "x509",
    "-req",
    "-in",
    `${file}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${file}.pem`,
    "-days",
    "2",
    "-sha256",
    "-extfile",
    `${file}.ext`,
  ], dir); // deno-fmt-ignore
  return { certFile: `${dir}/${file}.pem`, keyFile: `${dir}/${file}.key` };
}
