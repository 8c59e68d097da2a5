/**
 * Incident detection on systems vigil was never built on: the ten generated log families of the parser corpus
 * (`bench/parser_corpus/`: web access and error logs, syslog daemons, journald units, Kubernetes, Postgres, a
 * Java service, JSON lines, a firewall/VPN, the Windows event log), 2,000 lines each, content only (no level
 * field: levels are inferred), one line per second on average (exponential gaps, seeded).
 *
 * Their lines draw templates at random, error-worded ones included ("Probe failed", "Error syncing pod"), so a
 * system with no failure *episode* in it: each should open few incidents and no critical one. Then each of
 * `INJECTED_FAILURES` is injected in turn (20 copies at line 1,500) to see that a never-seen failure still
 * opens an incident within 30 s there.
 *
 * @module
 */
import { CORPUS_FAMILIES, CORPUS_SEED } from "./parser_corpus/families.ts";
import { generateSystem } from "./parser_corpus/corpus_template.ts";
import type { IncidentDetectionOptions } from "../lib/incidents/incident_detection.ts";
import { compileLogFormat } from "../lib/parsing/log_format.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { SeededRandom } from "../lib/producer/seeded_random.ts";
import { detect, type EvalContext, INJECTED_FAILURES, type Mined } from "../models/evaluate_incidents.ts";

/** What one generated system gave. */
export interface GeneratedSystemResult {
  incidents: number;
  critical: number;
  /** Injected failures opened within 30 s of their first line, of `INJECTED_FAILURES.length`. */
  injectedOpened: number;
}

const CONTENT_ONLY = compileLogFormat("<Content>", "content-only");
const INJECT_AT = 1500;
const INJECT_COUNT = 20;
const WITHIN_MS = 30_000;

/** The generated families' names, in report order. */
export const GENERATED_SYSTEMS: readonly string[] = CORPUS_FAMILIES.map((f) => f.name);

/** Runs detection on every generated family (and the injections), keyed by family name. */
export async function generatedSystemIncidents(
  ctx: EvalContext,
  options: IncidentDetectionOptions,
): Promise<Record<string, GeneratedSystemResult>> {
  const out: Record<string, GeneratedSystemResult> = {};
  for (const [i, family] of CORPUS_FAMILIES.entries()) {
    const contents = generateSystem(family, CORPUS_SEED + i).contents;
    const run = await detect(ctx, timedEvents(family.name, contents), options);
    let injectedOpened = 0;
    for (const failure of INJECTED_FAILURES) {
      const withFailure = [
        ...contents.slice(0, INJECT_AT),
        ...Array(INJECT_COUNT).fill(failure),
        ...contents.slice(INJECT_AT),
      ];
      const r = await detect(ctx, timedEvents(family.name, withFailure), options);
      const firstMs = Date.parse(r.events[INJECT_AT].ts);
      const injected = (n: number) => n > INJECT_AT && n <= INJECT_AT + INJECT_COUNT;
      if (r.incidents.some((x) => x.lineIds.some(injected) && Date.parse(x.firstTs) <= firstMs + WITHIN_MS)) {
        injectedOpened++;
      }
    }
    out[family.name] = {
      incidents: run.incidents.length,
      critical: run.incidents.filter((x) => x.severity === "CRITICAL_ANOMALY").length,
      injectedOpened,
    };
  }
  return out;
}

/** Mines content-only lines with seeded arrival times (mean gap 1 s), as the producer would with no timestamps. */
function timedEvents(name: string, contents: readonly string[]): Mined {
  const miner = new TemplateMiner();
  const random = new SeededRandom(7);
  let t = Date.UTC(2026, 10, 1);
  const events = contents.map((text, i) => {
    t += Math.round(-Math.log(1 - random.next()) * 1000);
    const e = lineToEvent({ text, lineNo: i + 1 }, CONTENT_ONLY, {
      source: `generated:${name}`,
      host: "host-1",
    }, t);
    return mineEvent(miner, e).event;
  });
  return {
    events,
    currentTemplateId: (id) => miner.registry.resolve(id),
    formerTemplateIds: (id) => miner.registry.formerIds(id),
  };
}
