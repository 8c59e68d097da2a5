/**
 * The S3-compatible object server: Versity S3 Gateway (versitygw, Apache-2.0) over its POSIX backend,
 * built from the Go module proxy with `go install` on first use. Objects are plain files under
 * `.vigil/s3/data/<bucket>/<key>`; S3 metadata (ETags, content types) lives in a sidecar folder so the
 * backend works on filesystems without user xattrs. The root credentials come from vigil's config (`s3.*`),
 * passed through the environment so the secret never shows in `ps`.
 *
 * @module
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { loadConfig } from "../lib/config/vigil_config.ts";
import { launchDetached } from "./managed_process.ts";
import { StackError } from "./stack_error.ts";
import { servicePaths } from "./stack_paths.ts";
import type { StackService } from "./stack_service.ts";

/** S3 API port. */
export const S3_PORT = 7070;
/** The versitygw release installed (a Go module version). */
export const VERSITYGW_VERSION = "v1.8.0";

const HOST = "127.0.0.1";
const MODULE = "github.com/versity/versitygw/cmd/versitygw";

/** Creates the S3 stack service. */
export function s3Service(): StackService {
  const paths = servicePaths("s3");
  const bin = `${paths.home}/bin/versitygw`;
  const stamp = `${paths.home}/bin/.installed`;
  const url = `http://${HOST}:${S3_PORT}`;
  return {
    name: "s3",
    endpoint: url,
    ports: [S3_PORT],
    paths,
    // The binary's absolute path inside this workspace is unique to our process.
    marker: bin,
    startTimeoutMs: 30_000,
    logFiles: [paths.processLog],
    async install(log) {
      const installed = await Deno.readTextFile(stamp).then((s) => s.trim(), () => "");
      if (installed === VERSITYGW_VERSION) return;
      log(`building versitygw ${VERSITYGW_VERSION} with 'go install' (first use only; a few minutes cold)`);
      const started = performance.now();
      let out: Deno.CommandOutput;
      try {
        out = await new Deno.Command("go", {
          args: ["install", `${MODULE}@${VERSITYGW_VERSION}`],
          env: { GOBIN: `${paths.home}/bin`, GOFLAGS: "-buildvcs=false" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new StackError(
            "Go is required to build the local S3 server (versitygw) but 'go' was not found on PATH. " +
              "Install Go 1.24+ (e.g. 'apt-get install golang' or https://go.dev/dl).",
          );
        }
        throw err;
      }
      if (!out.success) {
        const tail = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-15).join("\n");
        throw new StackError(`Building versitygw ${VERSITYGW_VERSION} failed:\n${tail}`);
      }
      await Deno.writeTextFile(stamp, VERSITYGW_VERSION + "\n");
      log(`built versitygw in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
    async launch() {
      const { s3 } = await loadConfig();
      const meta = `${paths.home}/meta`;
      for (const dir of [paths.data, paths.logs, meta]) await Deno.mkdir(dir, { recursive: true });
      return await launchDetached({
        cmd: bin,
        args: [
          "--port",
          `${HOST}:${S3_PORT}`,
          "--region",
          s3.region,
          "--quiet",
          "posix",
          "--sidecar",
          meta,
          paths.data,
        ],
        env: { ROOT_ACCESS_KEY: s3.accessKeyId, ROOT_SECRET_KEY: s3.secretAccessKey },
        marker: bin,
        pidFile: paths.pidFile,
        logFile: paths.processLog,
        cwd: paths.home,
      });
    },
    async probe() {
      try {
        // Any S3 answer (an unsigned request gets 403 AccessDenied) means the gateway serves requests.
        const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
        await res.body?.cancel();
        return res.status < 500;
      } catch {
        return false;
      }
    },
    async afterHealthy(log) {
      const { s3 } = await loadConfig();
      const client = new S3Client({
        endpoint: url,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      try {
        try {
          await client.send(new HeadBucketCommand({ Bucket: s3.bucket }), {
            abortSignal: AbortSignal.timeout(10_000),
          });
          return;
        } catch (err) {
          const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (status !== 404) {
            throw new StackError(`The S3 server at ${url} refused HeadBucket ${s3.bucket} (${status})`, {
              cause: err,
            });
          }
        }
        await client.send(new CreateBucketCommand({ Bucket: s3.bucket }), {
          abortSignal: AbortSignal.timeout(10_000),
        });
        log(`created bucket ${s3.bucket}`);
      } finally {
        client.destroy();
      }
    },
  };
}
