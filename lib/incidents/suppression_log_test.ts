import assert from "node:assert/strict";
import { IncidentDetection } from "./incident_detection.ts";
import { IncidentStateStore } from "./incident_state_store.ts";
import { SuppressionBook } from "./suppression_book.ts";
import { SuppressionLog } from "./suppression_log.ts";
import type { Suppression } from "./suppression.ts";

/** A mute of template `i`; fixed-width fields, so every suppression's line has the same size. */
const mute = (i: number): Omit<Suppression, "id" | "silenced"> => ({
  kind: "mute",
  scope: "template",
  system: "sys",
  component: "comp",
  templateId: `t${String(i).padStart(6, "0")}`,
  template: `template ${String(i).padStart(6, "0")}`,
  host: "",
  incidentId: "",
  createdTs: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  expiresTs: "",
  createdBy: "ana",
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "vigil-suppression-log-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ids = (book: SuppressionBook) => book.list().map((s) => s.templateId).sort();

Deno.test("SuppressionLog: each change is one appended line; a restart replays adds and removals", () =>
  withDir(async (dir) => {
    const path = `${dir}/suppressions.jsonl`;
    const book = new SuppressionBook();
    const log = new SuppressionLog(path);
    await log.load(book);
    const a = book.add(mute(1));
    book.add(mute(2));
    await log.save(book);
    book.remove(a.id);
    book.add(mute(3));
    await log.save(book);
    await log.save(book); // nothing changed: nothing written
    assert.equal(log.lines, 2);
    assert.equal(
      (await Deno.readTextFile(path)).split("\n").length,
      3,
      "two lines, each ending in a newline",
    );

    const restored = new SuppressionBook();
    const report = await new SuppressionLog(path).load(restored);
    assert.deepEqual(report, { restored: 2, skipped: 0, tornTail: 0 });
    assert.deepEqual(ids(restored), ["t000002", "t000003"]);
  }));

Deno.test("SuppressionLog: a line torn by a crash mid-append is dropped whole and counted; a damaged middle line refuses", () =>
  withDir(async (dir) => {
    const path = `${dir}/suppressions.jsonl`;
    const book = new SuppressionBook();
    const log = new SuppressionLog(path);
    await log.load(book);
    book.add(mute(1));
    await log.save(book);
    const before = await Deno.readTextFile(path);
    // The crash: the next action's line (two mutes) reached the disk only in part, without its newline.
    book.add(mute(2));
    book.add(mute(3));
    await log.save(book);
    const full = await Deno.readTextFile(path);
    const torn = full.slice(0, before.length + Math.floor((full.length - before.length) / 2));
    await Deno.writeTextFile(path, torn);

    const restored = new SuppressionBook();
    const report = await new SuppressionLog(path).load(restored);
    assert.deepEqual(report, { restored: 1, skipped: 0, tornTail: 1 });
    assert.deepEqual(ids(restored), ["t000001"], "the unacknowledged action is not half applied");
    assert.equal(await Deno.readTextFile(path), before, "load compacted the torn line away");

    // A complete line without its newline is torn too (the append stopped just before it).
    await Deno.writeTextFile(path, full.slice(0, -1));
    const again = await new SuppressionLog(path).load(new SuppressionBook());
    assert.deepEqual(again, { restored: 1, skipped: 0, tornTail: 1 });

    await Deno.writeTextFile(path, `{"put":[\n${full}`);
    await assert.rejects(
      () => new SuppressionLog(path).load(new SuppressionBook()),
      /Cannot load suppressions from .* as line 1 is not JSON/,
    );
  }));

Deno.test("SuppressionLog: an append writes the same bytes for a book of 10 or of 5,000 suppressions", () =>
  withDir(async (dir) => {
    const appendBytes = async (size: number) => {
      const path = `${dir}/book-${size}.jsonl`;
      const book = new SuppressionBook(100_000);
      const log = new SuppressionLog(path);
      await log.load(book);
      for (let i = 0; i < size; i++) book.add(mute(i));
      await log.compact(book);
      const fileBefore = (await Deno.stat(path)).size;
      const appendedBefore = log.bytesAppended;
      book.add(mute(900_000));
      await log.save(book);
      const grown = (await Deno.stat(path)).size - fileBefore;
      assert.equal(log.bytesAppended - appendedBefore, grown, "the counter is the file's growth");
      return { grown, whole: fileBefore };
    };
    const small = await appendBytes(10);
    const large = await appendBytes(5_000);
    assert.equal(large.grown, small.grown, `append of one mute: ${small.grown} B vs ${large.grown} B`);
    assert.ok(large.grown * 1000 < large.whole, `a whole rewrite would be ${large.whole} B`);
  }));

Deno.test("SuppressionLog: compacted when it holds more than compactFactor lines per live suppression", () =>
  withDir(async (dir) => {
    const path = `${dir}/suppressions.jsonl`;
    const book = new SuppressionBook();
    const log = new SuppressionLog(path, { compactFactor: 2, minCompactLines: 8 });
    await log.load(book);
    book.add(mute(0));
    book.add(mute(1));
    await log.save(book);
    let maxLines = 0;
    for (let i = 2; i < 200; i++) {
      const s = book.add(mute(i)); // mute, then undo: the book stays at 2, the changes keep coming
      await log.save(book);
      book.remove(s.id);
      await log.save(book);
      maxLines = Math.max(maxLines, log.lines);
    }
    assert.ok(maxLines <= 8, `log lines peaked at ${maxLines}`);
    assert.ok(log.compactions > 1 + 40, `${log.compactions} compactions`); // 396 changes, ≤ 8 lines each time
    const restored = new SuppressionBook();
    await new SuppressionLog(path).load(restored);
    assert.deepEqual(ids(restored), ["t000000", "t000001"]);
  }));

Deno.test("IncidentStateStore: a suppressions.json of an earlier version is migrated into the log, then removed", () =>
  withDir(async (dir) => {
    const old = new SuppressionBook();
    old.add(mute(7));
    old.add(mute(8));
    await Deno.writeTextFile(`${dir}/suppressions.json`, JSON.stringify(old.toJSON()));
    const store = new IncidentStateStore(dir);
    const detection = new IncidentDetection();
    const report = await store.load(detection, () => {});
    assert.equal(report.restored, 2);
    assert.deepEqual(ids(detection.book), ["t000007", "t000008"]);
    await assert.rejects(() => Deno.stat(`${dir}/suppressions.json`), Deno.errors.NotFound);
    const again = new IncidentDetection();
    await new IncidentStateStore(dir).load(again, () => {});
    assert.deepEqual(ids(again.book), ["t000007", "t000008"], "read back from suppressions.jsonl");
  }));
