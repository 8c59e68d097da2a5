/**
 * A realistic dashboard corpus from the Loghub BGL sample (2,000 Blue Gene/L lines with ground-truth alert
 * labels), read from the shared data folder beside the repo — never copied into it. Events keep their real
 * templates, nodes, components and levels; labelled alerts become ANOMALY (CRITICAL_ANOMALY for storage and
 * application-severity categories), and timestamps are spread over the `spanMs` before `now`, in order.
 *
 * @module
 */
import { type ClassifiedEvent, type Level } from "../../lib/event/log_event.ts";
import { parseCsv } from "../../lib/parsing/csv.ts";

/** The shared Loghub folder (`<repo>/../shared/loghub/`). */
export const LOGHUB = new URL("../../../shared/loghub/", import.meta.url);

const CRITICAL = new Set(["KERNSTOR", "APPSEV", "KERNMNTF"]);

const LEVEL: Record<string, Level> = {
  INFO: "info",
  WARNING: "warn",
  ERROR: "error",
  SEVERE: "critical",
  FATAL: "fatal",
  FAILURE: "fatal",
};

/** Loads the BGL sample as classified events. */
export async function bglCorpus(now: number, spanMs = 50 * 60_000): Promise<ClassifiedEvent[]> {
  const csv = parseCsv(await Deno.readTextFile(new URL("BGL/BGL_2k.log_structured.csv", LOGHUB)));
  const rawLines = (await Deno.readTextFile(new URL("BGL/BGL_2k.log", LOGHUB))).split("\n");
  const [header, ...rows] = csv.filter((r) => r.length > 1);
  const col = (name: string) => header.indexOf(name);
  const [iLine, iLabel, iNode, iComp, iLevel, iContent, iEvent, iTemplate] = [
    "LineId",
    "Label",
    "Node",
    "Component",
    "Level",
    "Content",
    "EventId",
    "EventTemplate",
  ].map(col);
  return rows.map((r, i) => {
    const level = LEVEL[r[iLevel]] ?? "info";
    const label = r[iLabel];
    const flagged = label !== "-";
    // Storage and application-severity failures are critical; other labelled alerts anomalies.
    const classification = !flagged ? "NORMAL" : CRITICAL.has(label) ? "CRITICAL_ANOMALY" : "ANOMALY";
    const ts = new Date(now - spanMs + Math.floor((i / rows.length) * spanMs)).toISOString();
    const lineNo = Number(r[iLine]);
    return {
      v: 1,
      id: `bgl-${lineNo}`,
      ts,
      ingestTs: ts,
      host: r[iNode],
      source: "loghub:BGL_2k.log",
      system: "bgl",
      level,
      component: r[iComp],
      content: r[iContent],
      fields: { Label: label },
      lineNo,
      raw: rawLines[lineNo - 1] ?? "",
      flags: [],
      templateId: r[iEvent],
      template: r[iTemplate],
      params: [],
      classification,
      // Deterministic, label-consistent scores: flagged 0.62–0.99, normal 0.01–0.29.
      score: flagged ? 0.62 + ((lineNo * 37) % 38) / 100 : 0.01 + ((lineNo * 13) % 29) / 100,
      reasons: flagged ? [`ground truth: ${label}`, `level ${r[iLevel]}`, `template ${r[iEvent]}`] : [],
      modelVersion: "loghub-labels",
    };
  });
}
