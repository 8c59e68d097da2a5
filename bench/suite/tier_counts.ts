/**
 * Counts what reached the tiers, by event id: every document of the hot tier's event indices (scrolled, not
 * capped at 10 000) and every row of every Parquet object of the cold tier. Used by the chaos scenarios to
 * prove "nothing lost, nothing duplicated".
 *
 * @module
 */
import { decodeParquet } from "../../actors/cold_sink/parquet_codec.ts";
import { resolveColdSinkConfig } from "../../actors/cold_sink/config.ts";
import { S3ColdService } from "../../actors/cold_sink/service.ts";
import type { VigilConfig } from "../../lib/config/vigil_config.ts";

/** How many times each event id occurs in a tier. */
export interface TierCount {
  /** Documents or rows in total. */
  total: number;
  /** Occurrences by event id. */
  byId: Map<string, number>;
}

/** Documents/rows beyond the first per id. */
export function duplicates(c: TierCount): number {
  let d = 0;
  for (const n of c.byId.values()) d += n - 1;
  return d;
}

/** Counts documents of `<prefix>-events-*` by their `id` field. */
export async function countHot(config: VigilConfig): Promise<TierCount> {
  const url = config.hot.url;
  const index = `${config.hot.indexPrefix}-events-*`;
  await (await fetch(`${url}/${index}/_refresh`, { method: "POST" })).body?.cancel();
  const out: TierCount = { total: 0, byId: new Map() };
  let res = await fetch(`${url}/${index}/_search?scroll=1m`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ size: 5000, _source: ["id"], sort: ["_doc"] }),
  });
  let page = await res.json();
  if (!res.ok) {
    if (res.status === 404) return out;
    throw new Error(`hot count failed (${res.status}): ${JSON.stringify(page).slice(0, 300)}`);
  }
  const scrollId = () => page._scroll_id as string;
  try {
    while ((page.hits?.hits?.length ?? 0) > 0) {
      for (const h of page.hits.hits as { _source: { id: string } }[]) {
        out.total++;
        out.byId.set(h._source.id, (out.byId.get(h._source.id) ?? 0) + 1);
      }
      res = await fetch(`${url}/_search/scroll`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scroll: "1m", scroll_id: scrollId() }),
      });
      page = await res.json();
    }
  } finally {
    if (page?._scroll_id) {
      await (await fetch(`${url}/_search/scroll`, {
        method: "DELETE",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ scroll_id: page._scroll_id }),
      }).catch(() => undefined))?.body?.cancel();
    }
  }
  return out;
}

/** Counts rows of every Parquet object under `<s3.prefix>events/` by event id. */
export async function countCold(config: VigilConfig): Promise<TierCount & { objects: number }> {
  const service = new S3ColdService(resolveColdSinkConfig({ ...config.s3 }));
  try {
    const keys = await service.list(`${config.s3.prefix}events/`);
    const out = { total: 0, byId: new Map<string, number>(), objects: keys.length };
    for (const k of keys) {
      for (const r of await decodeParquet((await service.get(k))!)) {
        out.total++;
        out.byId.set(r.event.id, (out.byId.get(r.event.id) ?? 0) + 1);
      }
    }
    return out;
  } finally {
    service.close();
  }
}

/** How many documents the hot tier's event indices hold (after a refresh); 0 when none exist. */
export async function hotTotal(config: VigilConfig): Promise<number> {
  const url = config.hot.url;
  const index = `${config.hot.indexPrefix}-events-*`;
  const res = await fetch(`${url}/${index}/_count`);
  const json = await res.json();
  return res.ok ? Number(json.count ?? 0) : 0;
}
