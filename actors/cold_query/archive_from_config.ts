/**
 * The dashboard's archive from vigil's configuration: a cold query reader over the configured S3 (`s3.*`,
 * `s3.prefix`), the hot window from `hot.retentionDays`, the deadline from `web.archiveTimeoutMs`. Shared by
 * `deno task start` and `deno task web`.
 *
 * @module
 */
import type { VigilConfig } from "../../lib/config/vigil_config.ts";
import type { ArchiveSettings } from "../../lib/web/search_with_archive.ts";
import { coldSinkOptionsFromConfig, resolveColdSinkConfig } from "../cold_sink/config.ts";
import { S3ColdService } from "../cold_sink/service.ts";
import { ColdArchiveReader } from "./cold_archive_reader.ts";
import { ColdQueryReader } from "./cold_query.ts";

const DAY_MS = 86_400_000;

/**
 * The archive settings for `createWebApp`, or `undefined` when the hot tier keeps everything
 * (`hot.retentionDays` = 0): then no range is older than the hot window. Call `close` at shutdown.
 */
export function archiveFromConfig(
  config: VigilConfig,
): { settings: ArchiveSettings; close(): void } | undefined {
  if (!(config.hot.retentionDays > 0)) return undefined;
  const service = new S3ColdService(resolveColdSinkConfig(coldSinkOptionsFromConfig(config)));
  // Smaller caches than `deno task query`'s defaults: the dashboard shares its process with the engine.
  const reader = new ColdQueryReader(service, {
    prefix: config.s3.prefix,
    cacheBytes: 64 * 1024 * 1024,
    decodedCacheBytes: 128 * 1024 * 1024,
  });
  return {
    settings: {
      reader: new ColdArchiveReader(reader),
      hotWindowMs: config.hot.retentionDays * DAY_MS,
      timeoutMs: config.web.archiveTimeoutMs,
    },
    close: () => service.close(),
  };
}
