/**
 * Seeds a real OpenSearch with ClassifiedEvent documents under a test namespace's index prefix, following the hot-tier
 * contract (the delivery helper's index templates, daily indices, `_id` = `<topic>-<partition>-<offset>`), and
 * removes everything afterwards.
 *
 * @module
 */
import type { ClassifiedEvent } from "../../lib/event/log_event.ts";
import type { Incident } from "../../lib/incidents/incident.ts";
import { indexTemplates } from "../../actors/hot_sink/index_templates.ts";
import { dailyIndex } from "../../lib/web/hot_tier_indices.ts";
import { testNamespace } from "../../testing/test_namespace.ts";
import { dropTestIndices } from "../../testing/drop_test_namespace.ts";

/** The local stack's OpenSearch (config default), overridable with VIGIL_HOT_URL. */
export const HOT_URL = Deno.env.get("VIGIL_HOT_URL") ?? "http://127.0.0.1:9200";

/** A seeded hot tier; call `cleanup` in `finally`. */
export interface SeededHotTier {
  prefix: string;
  docIds: string[];
  cleanup(): Promise<void>;
}

async function call(method: string, path: string, body?: string, type = "application/json") {
  const res = await fetch(HOT_URL + path, { method, body, headers: { "content-type": type } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/**
 * Installs the index templates for a fresh prefix and bulk-indexes `events` (refreshing at once).
 *
 * @throws {Error} when OpenSearch is unreachable or an item fails (what was created is removed first)
 */
export async function seedHotTier(
  events: ClassifiedEvent[],
  topic = "vigil.events",
  incidents: Incident[] = [],
): Promise<SeededHotTier> {
  const prefix = testNamespace("seed").indexPrefix;
  const cleanup = () => dropTestIndices(HOT_URL, prefix);
  try {
    return await seed(prefix, events, topic, incidents, cleanup);
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
}

async function seed(
  prefix: string,
  events: ClassifiedEvent[],
  topic: string,
  incidents: Incident[],
  cleanup: () => Promise<void>,
): Promise<SeededHotTier> {
  const templates = indexTemplates(prefix);
  for (const t of templates) {
    await call("PUT", `/_index_template/${t.name}`, JSON.stringify(t.body));
  }
  const incidentsIndex = `${prefix}-incidents`;
  const lines: string[] = [];
  for (const incident of incidents) {
    lines.push(
      JSON.stringify({ index: { _index: incidentsIndex, _id: incident.id } }),
      JSON.stringify(incident),
    );
  }
  const docIds: string[] = [];
  events.forEach((e, offset) => {
    const _id = `${topic}-0-${offset}`;
    docIds.push(_id);
    const doc = { ...e, kafka: { topic, partition: 0, offset: String(offset) } };
    lines.push(
      JSON.stringify({ index: { _index: dailyIndex(prefix, e.ts), _id } }),
      JSON.stringify(doc),
    );
  });
  // The template registry, as the hot sink maintains it: one doc per templateId, all-time count, first/last seen.
  const registry = new Map<
    string,
    {
      templateId: string;
      template: string;
      count: number;
      firstSeen: string;
      lastSeen: string;
      example: string;
    }
  >();
  for (const e of events) {
    const r = registry.get(e.templateId);
    if (!r) {
      registry.set(e.templateId, {
        templateId: e.templateId,
        template: e.template,
        count: 1,
        firstSeen: e.ts,
        lastSeen: e.ts,
        example: e.content,
      });
    } else {
      r.count++;
      if (e.ts < r.firstSeen) r.firstSeen = e.ts;
      if (e.ts > r.lastSeen) r.lastSeen = e.ts;
    }
  }
  for (const r of registry.values()) {
    lines.push(
      JSON.stringify({ index: { _index: `${prefix}-templates`, _id: r.templateId } }),
      JSON.stringify(r),
    );
  }
  const res = await call("POST", "/_bulk?refresh=true", lines.join("\n") + "\n", "application/x-ndjson");
  if (res.errors) {
    throw new Error(
      `Seeding failed: ${
        JSON.stringify(res.items.find((i: { index: { error?: unknown } }) => i.index.error))
      }`,
    );
  }
  return { prefix, docIds, cleanup };
}
