/**
 * The cold tier over TLS: the local stack's S3 server (versitygw, its installed binary) started by this test on
 * a free port with a certificate from a CA the test makes. With `s3.tls.caFile` the cold tier's client writes,
 * lists and reads objects over HTTPS; with a CA that did not sign the server's certificate a request is refused
 * at once with an error naming `s3.tls.caFile`.
 */
import assert from "node:assert/strict";
import { S3ColdService } from "../../actors/cold_sink/service.ts";
import { coldSinkOptionsFromConfig, resolveColdSinkConfig } from "../../actors/cold_sink/config.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { servicePaths } from "../../infra/stack_paths.ts";
import { isPortOpen } from "../../infra/port_probe.ts";
import { makeTestCa } from "../../testing/test_ca.ts";
import { until } from "../../testing/until.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test({
  name: "cold tier over HTTPS with s3.tls.caFile: objects written, listed and read; a foreign CA is refused",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const home = await Deno.makeTempDir({ prefix: "vigil-s3-tls-" });
    const ca = await makeTestCa(`${home}/ca`);
    const stranger = await makeTestCa(`${home}/stranger`, "a CA nobody trusts");
    const bucket = "vigil-tls";
    await Deno.mkdir(`${home}/data/${bucket}`, { recursive: true });
    await Deno.mkdir(`${home}/meta`, { recursive: true });
    const port = freePort();
    const server = new Deno.Command(`${servicePaths("s3").home}/bin/versitygw`, {
      args: [
        "--port",
        `127.0.0.1:${port}`,
        "--cert",
        ca.serverCertFile,
        "--key",
        ca.serverKeyFile,
        "--region",
        "us-east-1",
        "--quiet",
        "posix",
        "--sidecar",
        `${home}/meta`,
        `${home}/data`,
      ],
      env: { ROOT_ACCESS_KEY: "tls-user", ROOT_SECRET_KEY: "tls-secret-key" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const s3 = (caFile: string) =>
      new S3ColdService(resolveColdSinkConfig(coldSinkOptionsFromConfig(parseConfig({
        s3: {
          endpoint: `https://127.0.0.1:${port}`,
          bucket,
          accessKeyId: "tls-user",
          secretAccessKey: "tls-secret-key",
          tls: { caFile },
        },
      }))));
    try {
      await until(() => isPortOpen("127.0.0.1", port, 500), {
        what: "versitygw over TLS",
        deadlineMs: 30_000,
      });
      const trusted = s3(ca.caFile);
      const bytes = new TextEncoder().encode("over TLS");
      await trusted.put("events/a.parquet", bytes);
      assert.deepEqual(await trusted.list("events/"), ["events/a.parquet"]);
      assert.deepEqual(await trusted.get("events/a.parquet"), bytes);
      trusted.close();
      const foreign = s3(stranger.caFile);
      await assert.rejects(
        () => foreign.put("events/b.parquet", bytes),
        /^Error: S3 at https:\/\/127\.0\.0\.1:\d+: .*certificate.*: set s3\.tls\.caFile \(env VIGIL_S3_TLS_CA_FILE\) to the CA that signed it$/s,
      );
      foreign.close();
    } finally {
      server.kill("SIGTERM");
      await server.status;
      await server.stderr.cancel().catch(() => {});
      await Deno.remove(home, { recursive: true });
    }
  },
});
