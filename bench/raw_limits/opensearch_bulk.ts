/**
 * OpenSearch `_bulk` raw limit: pre-serialised vigil bulk bodies (the event documents, exactly what the
 * hot sink sends per batch; its template registry flush is a separate small request every few seconds) posted with plain `fetch` under a few client settings (docs per request × concurrent
 * requests); the best docs/s is the hot tier's ceiling on this machine.
 *
 * @module
 */
import { buildBulkOps, bulkBody } from "../../actors/hot_sink/request_builder.ts";
import { HotSink } from "../../actors/hot_sink/sink.ts";
import type { LogEvent } from "../../lib/event/log_event.ts";
import { deliveryRecords } from "./vigil_documents.ts";

/** One client setting of the bulk measurement. */
export interface BulkSetting {
  /** Documents per bulk request. */
  batch: number;
  /** Bulk requests in flight. */
  concurrency: number;
}

/** docs/s for one setting and the overall best. */
export interface BulkLimit {
  settings: { setting: BulkSetting; docsPerSecond: number }[];
  best: number;
}

/**
 * Indexes `events` once per setting into fresh indices under `prefix` (templates installed by HotSink);
 * deletes them afterwards.
 * @throws when a bulk request fails or reports item errors
 */
export async function opensearchBulkLimit(
  url: string,
  prefix: string,
  events: readonly LogEvent[],
  settings: BulkSetting[],
): Promise<BulkLimit> {
  const sink = new HotSink({ url, indexPrefix: prefix, deadLetters: { write: () => Promise.resolve() } });
  await sink.start();
  const out: BulkLimit = { settings: [], best: 0 };
  try {
    for (const [round, setting] of settings.entries()) {
      const records = deliveryRecords(events, { base: round * events.length });
      const bodies: string[] = [];
      for (let i = 0; i < records.length; i += setting.batch) {
        bodies.push(bulkBody(buildBulkOps(records.slice(i, i + setting.batch), prefix)));
      }
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const res = await fetch(`${url}/_bulk`, {
            method: "POST",
            headers: { "content-type": "application/x-ndjson" },
            body,
          });
          const json = await res.json();
          if (!res.ok || json.errors) {
            const first = json.items?.find((it: Record<string, { error?: unknown }>) =>
              Object.values(it)[0]?.error
            );
            throw new Error(`bulk failed (${res.status}): ${JSON.stringify(first ?? json).slice(0, 500)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: setting.concurrency }, worker));
      const docsPerSecond = records.length / ((performance.now() - started) / 1000);
      out.settings.push({ setting, docsPerSecond });
      out.best = Math.max(out.best, docsPerSecond);
    }
  } finally {
    await sink.close(1000).catch(() => {});
    await (await fetch(`${url}/${prefix}-*`, { method: "DELETE" }).catch(() => undefined))?.body?.cancel();
    for (const t of ["events", "templates", "incidents"]) {
      await (await fetch(`${url}/_index_template/${prefix}-${t}`, { method: "DELETE" }).catch(() =>
        undefined
      ))
        ?.body?.cancel();
    }
  }
  return out;
}
