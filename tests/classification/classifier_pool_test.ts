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
    assert.ok(r.event.reasons.length > 0);
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

Deno.test("classifier pool: feedback is learned, persisted, and restored by a new pool", async () => {
  const dir = await Deno.makeTempDir();
  const input = (await mined("Apache")).slice(0, 300);
  const pool = await ClassifierPool.open({ workers: 1, dataDir: dir });
  const first = await runThrough(pool, input);
  const target = first.find((r) => r.event.level === "error")!.event;
  await pool.feedbackSink().record({
    templateId: target.templateId,
    label: "confirmed",
    score: target.score,
  });
  await pool.close();
  const reopened = await ClassifierPool.open({ workers: 1, dataDir: dir });
  const second = await runThrough(reopened, input);
  for (const r of second.filter((r) => r.event.templateId === target.templateId)) {
    assert.notEqual(r.event.classification, "NORMAL");
    assert.match(r.event.reasons[0], /operator labelled this template ANOMALY/);
  }
  assert.ok(reopened.classifier.features.state.seq >= 600, "online state restored and continued");
  await reopened.close();
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
