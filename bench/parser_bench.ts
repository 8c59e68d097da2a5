/**
 * `deno bench bench/parser_bench.ts`: the parser's stages on the 8 shared Loghub 2k samples (16,000 lines per
 * iteration), as ratios against a baseline measured in the same run (splitting the same bytes into lines with
 * `TextDecoder` + `String.split`, the least any parser must do). The ≥ 1M-line comparison with Drain3 is
 * `bench/parser_vs_drain3.ts`.
 * @module
 */
import { resolveLogFormat } from "../lib/parsing/log_format.ts";
import { LineSplitter } from "../lib/parsing/line_decoder.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { LineAssembler } from "../lib/parsing/line_assembler.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import type { LogEvent } from "../lib/event/log_event.ts";

const SYSTEMS = ["Apache", "BGL", "HDFS", "Hadoop", "Linux", "OpenSSH", "Windows", "Zookeeper"];
const shared = new URL("../../shared/loghub/", import.meta.url);
const inputs = await Promise.all(SYSTEMS.map(async (system) => {
  const text = await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, shared));
  const format = resolveLogFormat(system);
  const lines = text.split("\n").filter((l) => l !== "");
  const events: LogEvent[] = lines.map((l, i) =>
    lineToEvent({ text: l, lineNo: i + 1 }, format, { source: system, host: "b" })
  );
  return { system, format, bytes: new TextEncoder().encode(text + "\n"), lines, events };
}));
// warm miners: steady state, as in a long-running engine
const warm = new Map(inputs.map((i) => {
  const m = new TemplateMiner();
  for (const e of i.events) m.mine(e.content, 0);
  return [i.system, m];
}));
const decoder = new TextDecoder();
let sink = 0;

Deno.bench("baseline: bytes → lines (TextDecoder + split)", { group: "parser", baseline: true }, () => {
  for (const i of inputs) sink += decoder.decode(i.bytes).split("\n").length;
});

Deno.bench("bytes → lines (LineSplitter: CRLF, limits, UTF-8/binary flags)", { group: "parser" }, () => {
  for (const i of inputs) sink += new LineSplitter().push(i.bytes).length;
});

Deno.bench("line → LogEvent (format, timestamp, level)", { group: "parser" }, () => {
  for (const i of inputs) {
    for (let n = 0; n < i.lines.length; n++) {
      sink +=
        lineToEvent({ text: i.lines[n], lineNo: n + 1 }, i.format, { source: i.system, host: "b" }, 0).lineNo;
    }
  }
});

Deno.bench("mine (warm miner)", { group: "parser" }, () => {
  for (const i of inputs) {
    const m = warm.get(i.system)!;
    for (const e of i.events) sink += m.mine(e.content, 0).clusterId;
  }
});

Deno.bench("bytes → MinedEvent (the parser actor's whole path, warm miner)", { group: "parser" }, () => {
  for (const i of inputs) {
    const m = warm.get(i.system)!;
    const a = new LineAssembler(i.format, { source: i.system, host: "b" });
    for (const line of new LineSplitter().push(i.bytes)) {
      for (const e of a.push(line, 0)) sink += mineEvent(m, e).clusterId;
    }
    for (const e of a.flush()) sink += mineEvent(m, e).clusterId;
  }
});

Deno.bench("cold: new miner per system (learning from scratch)", { group: "parser" }, () => {
  for (const i of inputs) {
    const m = new TemplateMiner();
    for (const e of i.events) sink += m.mine(e.content, 0).clusterId;
  }
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink); // keeps results alive
});
