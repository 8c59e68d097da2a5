/** The parser actor over the engine: mined events out in order, coordinates kept, unparsed lines mined, persistence. */
import assert from "node:assert/strict";
import { ActorSystem, silentLogger } from "../../engine/mod.ts";
import { fileTemplateStore, loadTemplateMiner, parserStage } from "../../actors/parser.ts";
import type { Sourced } from "../../actors/delivery_record.ts";
import { type LogEvent, type MinedEvent, MinedFieldsSchema } from "../../lib/event/log_event.ts";
import { resolveLogFormat } from "../../lib/parsing/log_format.ts";
import { lineToEvent } from "../../lib/parsing/line_to_event.ts";

const windows = resolveLogFormat("windows");
const lines = [
  "2016-09-28 04:30:31, Info                  CBS    Session: 30546173_4261722401 initialized by client WindowsUpdateAgent.",
  "2016-09-28 04:30:32, Info                  CBS    Session: 30546174_4261722402 initialized by client WindowsUpdateAgent.",
  "2016-09-28 04:30:33, Error                 CBS    Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]",
];

function sourced(events: LogEvent[]): Sourced<LogEvent>[] {
  return events.map((event, i) => ({ event, kafka: { topic: "t", partition: 0, offset: String(i) } }));
}

Deno.test("parser actor: mines every event in order, keeps Kafka coordinates, mines unparsed lines as they are, persists", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = fileTemplateStore(`${dir}/templates.json`);
    const miner = await loadTemplateMiner(store);
    const system = new ActorSystem({ logger: silentLogger });
    const got: Sourced<MinedEvent>[] = [];
    const sink = system.spawn<Sourced<MinedEvent>>({
      name: "sink",
      create: () => ({ receive: (m) => void got.push(m) }),
    });
    const stage = parserStage({ miner, store });
    const parser = system.spawn<Sourced<LogEvent>>({
      name: "parser",
      create: (ctx) => stage.create(sink, ctx),
    });
    const events = lines.map((text, i) =>
      lineToEvent({ text, lineNo: i + 1 }, windows, { source: "f", host: "h" })
    );
    // an event the producer could not parse (wrong format there): mined from its raw line, the flag kept
    events.push(
      lineToEvent({ text: lines[0], lineNo: 4 }, resolveLogFormat("apache"), { source: "f", host: "h" }),
    );
    assert.ok(events[3].parseError);
    for (const m of sourced(events)) await parser.send(m);
    await system.drain(parser);
    await system.drain(sink);
    assert.equal(got.length, 4);
    assert.deepEqual(got.map((m) => m.kafka.offset), ["0", "1", "2", "3"]);
    for (const m of got) MinedFieldsSchema.parse(m.event);
    assert.equal(got[1].event.template, "Session: <*> initialized by client WindowsUpdateAgent.");
    assert.deepEqual(got[1].event.params, ["30546174_4261722402"]);
    assert.equal(got[3].event.parseError, events[3].parseError);
    assert.equal(got[3].event.id, events[3].id);
    assert.ok(got[3].event.template.length > 0, "an unparsed line still gets a template");
    assert.equal(miner.registry.resolve(got[0].event.templateId), got[1].event.templateId);
    // restart: templates come back from the store (saved at stop)
    const restored = await loadTemplateMiner(store);
    const again = restored.mine("Session: 1_2 initialized by client WindowsUpdateAgent.", 0);
    assert.equal(again.change, "matched");
    assert.equal(again.templateId, got[1].event.templateId);
    // a corrupt store is reported and the parser starts empty rather than failing
    await Deno.writeTextFile(`${dir}/templates.json`, "{not json");
    const errors: unknown[] = [];
    const fresh = await loadTemplateMiner(store, {}, (e) => errors.push(e));
    assert.equal(fresh.size, 0);
    assert.equal(errors.length, 1);
    await system.shutdown();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
