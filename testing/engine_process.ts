/**
 * Runs `delivery_engine.ts` (the product engine with a machine-readable status) as a child process for end-to-end tests, and counts what reached the tiers.
 *
 * @module
 */
import { dropTestNamespace } from "./drop_test_namespace.ts";
import { decodeParquet } from "../actors/cold_sink/parquet_codec.ts";
import { S3ColdService } from "../actors/cold_sink/service.ts";
import { resolveColdSinkConfig } from "../actors/cold_sink/config.ts";
import { textPieces } from "../lib/streams/delimited_text_stream.ts";
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import type { ClassifiedEvent } from "../lib/event/log_event.ts";
import { until } from "./until.ts";

/** The latest `STATUS` line of an engine process. */
export interface EngineStatus {
  consumed: number;
  inFlight: number;
  paused: boolean;
  hot: number;
  hotHealthy: boolean;
  cold: number;
  coldHealthy: boolean;
  partitions: number[];
  /** How many partitions the group assigned to this engine. */
  assigned: number;
}

/** A running delivery engine. */
export class EngineProcess {
  readonly child: Deno.ChildProcess;
  status?: EngineStatus;
  stderr = "";
  #ready: Promise<void>;
  #exited: Promise<Deno.CommandStatus>;

  constructor(env: Record<string, string>) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./delivery_engine.ts", import.meta.url).pathname],
      cwd: new URL("../", import.meta.url).pathname,
      env,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.child = child;
    let ready!: () => void;
    this.#ready = new Promise((r) => ready = r);
    (async () => {
      for await (const line of textPieces(child.stdout)) {
        if (line === "READY") ready();
        if (line.startsWith("STATUS ")) this.status = JSON.parse(line.slice(7));
      }
    })().catch(() => {});
    (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderr = (this.stderr + chunk).slice(-20_000);
      }
    })().catch(() => {});
    this.#exited = child.status;
  }

  /** Resolves when the engine consumes (fails after `timeoutMs`). */
  async ready(timeoutMs = 60_000): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`engine not ready in time; stderr:\n${this.stderr}`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([
        this.#ready,
        timeout,
        this.#exited.then((s) => {
          throw new Error(`engine exited with ${s.code}; stderr:\n${this.stderr}`);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: no flush, no commit — a crash. */
  async kill9(): Promise<void> {
    try {
      this.child.kill("SIGKILL");
    } catch { /* already gone */ }
    await this.#exited;
  }

  /** SIGTERM and wait for the graceful stop. */
  async stop(): Promise<Deno.CommandStatus> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* already gone */ }
    return await this.#exited;
  }
}

/** Environment for an engine process on the test's topic, group, index prefix, bucket and S3 prefix. */
export function engineEnv(config: VigilConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    VIGIL_KAFKA_TOPIC: config.kafka.topic,
    VIGIL_KAFKA_GROUP_ID: config.kafka.groupId,
    VIGIL_KAFKA_PARTITIONS: String(config.kafka.partitions),
    VIGIL_HOT_INDEX_PREFIX: config.hot.indexPrefix,
    VIGIL_S3_BUCKET: config.s3.bucket,
    VIGIL_S3_PREFIX: config.s3.prefix,
    VIGIL_COLD_TIMEOUT_MS: "1000",
    VIGIL_COLD_OFFSET_WINDOW: "200",
    VIGIL_DELIVERY_COMMIT_INTERVAL_MS: "500",
    // Engines of one test share templates and classifier state, as engines of one deployment would.
    VIGIL_CLASSIFIER_DATA_DIR: `.vigil/test-classifier/${config.kafka.topic}`,
    ...extra,
  };
}

/** Documents in the hot tier under the config's prefix: total and distinct ids. */
export async function hotCount(config: VigilConfig): Promise<{ total: number; ids: Set<string> }> {
  const base = `${config.hot.url}/${config.hot.indexPrefix}-events-*`;
  await (await fetch(`${base}/_refresh`, { method: "POST" })).body?.cancel();
  const res = await (await fetch(`${base}/_search?size=10000&_source=false`)).json();
  const hits = (res.hits?.hits ?? []) as { _id: string }[];
  return { total: res.hits?.total?.value ?? 0, ids: new Set(hits.map((h) => h._id)) };
}

/** Every document in the hot tier's events indices under the config's prefix (at most 10 000), by line number. */
export async function hotEvents(config: VigilConfig): Promise<ClassifiedEvent[]> {
  const base = `${config.hot.url}/${config.hot.indexPrefix}-events-*`;
  await (await fetch(`${base}/_refresh`, { method: "POST" })).body?.cancel();
  const res = await fetch(`${base}/_search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ size: 10_000, sort: [{ lineNo: "asc" }] }),
  });
  const body = await res.json();
  return ((body.hits?.hits ?? []) as { _source: ClassifiedEvent }[]).map((h) => h._source);
}

/** Rows in the cold tier under the config's prefix: total and distinct `partition-offset`. */
export async function coldCount(
  config: VigilConfig,
): Promise<{ total: number; ids: Set<string>; objects: number }> {
  const service = new S3ColdService(resolveColdSinkConfig(config.s3));
  try {
    const keys = await service.list(`${config.s3.prefix}events/`);
    const ids = new Set<string>();
    let total = 0;
    for (const k of keys) {
      // An object can vanish between the listing and the read while an engine runs (a rewrite removed it
      // from a sibling window): it is not counted in this poll; the next poll sees where its rows went.
      const bytes = await service.get(k);
      if (bytes === undefined) continue;
      for (const r of await decodeParquet(bytes)) {
        total++;
        ids.add(`${r.kafka.partition}-${r.kafka.offset}`);
      }
    }
    return { total, ids, objects: keys.length };
  } finally {
    service.close();
  }
}

/**
 * Resolves once the hot tier holds `n` documents, then once the cold tier holds `n` rows, of the config's
 * namespace (at least `n`: the caller asserts the exact count).
 *
 * @throws {Error} when a tier is still short after `deadlineMs`
 */
export async function untilBothTiersHold(config: VigilConfig, n: number, deadlineMs = 90_000): Promise<void> {
  const poll = { deadlineMs, pollMs: 250 };
  await until(async () => (await hotCount(config)).total >= n, { what: `${n} documents`, ...poll });
  await until(async () => (await coldCount(config)).total >= n, { what: `${n} Parquet rows`, ...poll });
}

/**
 * Deletes the test's indices, index templates and cold-tier objects (its test namespace).
 * @throws {RangeError} when the config's namespace is not a test's: never delete someone else's data
 */
export async function dropTiers(config: VigilConfig): Promise<void> {
  await dropTestNamespace(
    { indexPrefix: config.hot.indexPrefix, bucket: config.s3.bucket, s3Prefix: config.s3.prefix },
    config,
  );
}
