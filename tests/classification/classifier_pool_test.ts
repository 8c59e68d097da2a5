import assert from "node:assert/strict";
import { ClassifierPool } from "../../actors/classifier_pool.ts";
import type { Sourced } from "../../actors/delivery_record.ts";
import { ActorSystem, Pipeline, silentLogger } from "../../engine/mod.ts";
import { minedLineStream, splitLines } from "../../lib/classification/mined_line_stream.ts";
import { ModelLoadError } from "../../lib/classification/model_bundle.ts";
import type { ClassifiedEvent, MinedEvent } from "../../lib/event/log_event.ts";
import { resolveLogFormat } from "../../lib/parsing/log_format.ts";

const loghub = new URL("../../../shared/loghub/", import.meta.url);

async function mined(system: string): Promise<Sourced<MinedEvent>[]> {
  const lines = splitLines(await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, loghub)));
  return [...minedLineStream(lines, resolveLogFormat(system.toLowerCase()), system)].map((event, i) => ({
    event,
    kafka: { topic: "t", partition: 0, offset: String(i) },
  }));
}

async function runThrough(
  pool: ClassifierPool,
  input: Sourced<MinedEvent>[],
): Promise<Sourced<ClassifiedEvent>[]> {
  const system = new ActorSystem({ logger: silentLogger });
  const got: Sourced<ClassifiedEvent>[] = [];
  const pipeline = Pipeline.start(system, {
    nodes: {
      src: {
        kind: "source",
        create: () => ({
          async run(out) {
            for (const e of input) await out.send(e);
          },
        }),
      },
      classifier: pool.stage(),
      sink: {
        kind: "sink",
        create: () => ({ receiveBatch: (xs: Sourced<ClassifiedEvent>[]) => void got.push(...xs) }),
      },
    },
    edges: [{ from: "src", to: "classifier" }, { from: "classifier", to: "sink" }],
  });
  await pipeline.sourcesDone;
  const report = await pipeline.stop({ deadlineMs: 30_000 });
  assert.ok(report.graceful);
  return got;
}

Deno.test("classifier pool: every event comes out once, in order, labelled — identical to the offline CLI path", async () => {
  const dir = await Deno.makeTempDir();
  const input = await mined("Zookeeper");
  const pool = await ClassifierPool.open({ workers: 2, dataDir: dir });
  const out = await runThrough(pool, input);
  assert.equal(out.length, input.length);
  out.forEach((r, i) => {
    assert.equal(r.kafka.offset, String(i));
    assert.equal(r.event.lineNo, i + 1);
    assert.ok(r.event.score >= 0 && r.event.score <= 1);
    if (r.event.classification !== "NORMAL") assert.ok(r.event.reasons[0].startsWith("incident: "));
    assert.equal(r.event.modelVersion, pool.classifier.meta.modelVersion);
  });
  // Same labels as a second, fresh run (deterministic; the offline CLI uses the same Classifier steps).
  const again = await runThrough(await ClassifierPool.open({ workers: 1 }), input);
  assert.deepEqual(
    again.map((r) => [r.event.classification, r.event.score]),
    out.map((r) => [r.event.classification, r.event.score]),
  );
  await pool.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("classifier pool: incidents ride on their events' records; suppressions and detection state survive a restart", async () => {
  const dir = await Deno.makeTempDir();
  const input = await mined("Hadoop");
  const pool = await ClassifierPool.open({ workers: 1, dataDir: dir });
  const first = await runThrough(pool, input);
  const carried = first.flatMap((r) => r.incidents ?? []);
  assert.ok(carried.length > 0, "the Hadoop sample's fatal lines open an incident");
  // Every flagged event names an incident whose document rode on a record no later than the event's.
  const seen = new Set<string>();
  for (const r of first) {
    for (const i of r.incidents ?? []) seen.add(i.id);
    if (r.event.classification !== "NORMAL") {
      assert.ok(r.event.incidentId !== undefined && seen.has(r.event.incidentId), `line ${r.event.lineNo}`);
    } else assert.equal(r.event.incidentId, undefined);
  }
  const target = carried.find((i) => i.templateId !== "")!;
  await pool.detection.act({ incidentId: target.id, action: "mute", scope: "template", by: "tester" });
  await pool.close();

  const reopened = await ClassifierPool.open({ workers: 1, dataDir: dir });
  assert.equal(reopened.detection.suppressions().length, 1, "the mute was persisted");
  const second = await runThrough(reopened, input);
  for (
    const r of second.filter((r) => r.event.templateId === target.templateId && r.event.level !== "fatal")
  ) {
    assert.equal(r.event.classification, "NORMAL", "muted template");
  }
  assert.ok(reopened.detection.suppressions()[0].silenced > 0, "the mute counts what it silenced");
  assert.ok(
    reopened.classifier.features.state.seq >= 2 * input.length,
    "online state restored and continued",
  );
  const silenced = reopened.detection.suppressions()[0].silenced;
  await reopened.close();
  // Suppressions are an append-only log; the clean stop compacted it, so the count survives too.
  const third = await ClassifierPool.open({ workers: 1, dataDir: dir });
  assert.equal(
    third.detection.suppressions()[0].silenced,
    silenced,
    "the silenced count survives a clean stop",
  );
  await third.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("classifier pool: a model made for another feature spec is refused at open, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  const base = new URL("../../models/classifier", import.meta.url).pathname;
  await Deno.copyFile(`${base}.onnx`, `${dir}/m.onnx`);
  const meta = JSON.parse(await Deno.readTextFile(`${base}.meta.json`));
  await Deno.writeTextFile(`${dir}/m.meta.json`, JSON.stringify({ ...meta, featureSpec: "other@9#1" }));
  await assert.rejects(() => ClassifierPool.open({ modelPath: `${dir}/m.onnx` }), (e: Error) => {
    assert.ok(e instanceof ModelLoadError && e.message.includes(`${dir}/m.onnx`), e.message);
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});
