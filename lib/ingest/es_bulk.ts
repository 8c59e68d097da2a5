/**
 * The Elasticsearch `_bulk` request and response, as far as a log shipper uses them: NDJSON of action lines
 * (`index` / `create`, each followed by its document; `delete` and `update` are refused per item, as vigil does not
 * change stored events) → {@link BulkItem}s, and the per-item response Beats, Logstash, Fluent Bit, Vector and the
 * official clients read (`errors`, and per item `status`, `_index`, `_id`, `result` or `error`).
 *
 * A line that is not JSON where an action is expected makes the whole request a 400 (as Elasticsearch answers);
 * a document that is not JSON fails only its item (400 `mapper_parsing_exception`), the others go on.
 *
 * @module
 */

/** The request is not a bulk request; answer 400 for all of it. */
export class BulkRequestError extends Error {
  override name = "BulkRequestError";
}

/** One action of the request. */
export type BulkItem =
  | { op: "index" | "create"; index: string; id?: string; doc: unknown; raw: string; docError?: string }
  | { op: "delete" | "update"; index: string; id?: string; refused: string };

const OPS = new Set(["index", "create", "delete", "update"]);

/**
 * Parses an NDJSON bulk body.
 *
 * @param body the (inflated) body text
 * @param defaultIndex the index of the URL (`/<index>/_bulk`), if any
 * @throws {BulkRequestError} for an action line that is not a bulk action
 */
export function parseBulkBody(body: string, defaultIndex: string | undefined): BulkItem[] {
  const items: BulkItem[] = [];
  let at = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    while (at < body.length) {
      let end = body.indexOf("\n", at);
      if (end === -1) end = body.length;
      const line = body.slice(at, end);
      at = end + 1;
      lineNo++;
      if (line.trim() !== "") return line.endsWith("\r") ? line.slice(0, -1) : line;
    }
    return undefined;
  };
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    let action: unknown;
    try {
      action = JSON.parse(line);
    } catch (err) {
      throw new BulkRequestError(`line ${lineNo}: an action line must be JSON (${(err as Error).message})`);
    }
    const keys = action !== null && typeof action === "object" && !Array.isArray(action)
      ? Object.keys(action)
      : [];
    if (keys.length !== 1 || !OPS.has(keys[0])) {
      throw new BulkRequestError(`line ${lineNo}: expected one of index, create, delete, update`);
    }
    const op = keys[0] as BulkItem["op"];
    const meta = (action as Record<string, unknown>)[op];
    const m = meta !== null && typeof meta === "object" ? meta as Record<string, unknown> : {};
    const index = typeof m._index === "string" ? m._index : defaultIndex ?? "";
    const id = typeof m._id === "string" ? m._id : undefined;
    if (op === "delete") {
      items.push({ op, index, id, refused: "vigil keeps events as received: delete is not supported" });
      continue;
    }
    const source = nextLine();
    if (source === undefined) throw new BulkRequestError(`line ${lineNo}: ${op} without its document line`);
    if (op === "update") {
      items.push({ op, index, id, refused: "vigil keeps events as received: update is not supported" });
      continue;
    }
    let doc: unknown;
    let docError: string | undefined;
    try {
      doc = JSON.parse(source);
    } catch (err) {
      docError = `failed to parse the document: ${(err as Error).message}`;
    }
    items.push({ op, index, id, doc, raw: source, ...(docError === undefined ? {} : { docError }) });
  }
  return items;
}

/** What became of one item. */
export interface BulkOutcome {
  status: number;
  /** The event id given to an accepted document (its `_id` when the shipper set one). */
  id?: string;
  error?: { type: string; reason: string };
}

/** The `_bulk` response body. */
export function bulkResponse(
  items: readonly BulkItem[],
  outcomes: readonly BulkOutcome[],
  tookMs: number,
): unknown {
  return {
    took: Math.round(tookMs),
    errors: outcomes.some((o) => o.status >= 300),
    items: items.map((item, i) => {
      const o = outcomes[i];
      const body: Record<string, unknown> = {
        _index: item.index,
        _id: o.id ?? item.id ?? null,
        status: o.status,
      };
      if (o.error) body.error = o.error;
      else {
        body.result = "created";
        body._version = 1;
        body._shards = { total: 1, successful: 1, failed: 0 };
      }
      return { [item.op]: body };
    }),
  };
}
