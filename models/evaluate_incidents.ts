/**
 * Measures incident detection (lib/incidents) offline, through the same code as `deno task incidents`:
 *
 * - **Validation** (designs and thresholds are chosen here): vigil's synthetic Windows source with its
 *   ground truth, on seeds the model was never trained on (≥ 101) — episodes detected within 30 s of event
 *   time, incidents per episode, false incidents per hour, and incidents per hour on clean traffic; and the
 *   seven shared Loghub systems other than BGL — incidents and critical incidents per 2k-line sample.
 * - **Test** (reported, never tuned on): BGL_2k line F1 zero-shot, and on lines 1001–2000 after an operator
 *   acted on the incidents of lines 1–1000 only, beside trivial baselines measured in the same run.
 *
 * @module
 */
import { Classifier } from "../lib/classification/classifier.ts";
import { loadModelBundle, type ModelBundle } from "../lib/classification/model_bundle.ts";
import { minedLineStream, splitLines } from "../lib/classification/mined_line_stream.ts";
import { WorkerScorer } from "../lib/classification/worker_scorer.ts";
import type { ClassifiedEvent, MinedEvent } from "../lib/event/log_event.ts";
import { IncidentDetection, type IncidentDetectionOptions } from "../lib/incidents/incident_detection.ts";
import { judgeEvents } from "../lib/incidents/judge_events.ts";
import { type OfflineIncident, offlineIncidents } from "../lib/incidents/offline_incidents.ts";
import { lineToEvent } from "../lib/parsing/line_to_event.ts";
import { type LogFormat, resolveLogFormat } from "../lib/parsing/log_format.ts";
import { mineEvent } from "../lib/parsing/mine_event.ts";
import { TemplateMiner } from "../lib/parsing/template_miner.ts";
import { SyntheticWindowsSource } from "../lib/producer/synthetic_windows.ts";
import type { EpisodeRecord, LineLabel } from "../lib/producer/synthetic_labels.ts";
import { type Prf, prf } from "./prf.ts";
import { LOGHUB_TRAINING_SYSTEMS } from "./training_sources.ts";

/** Shared state of one evaluation run: the model and one scoring worker. */
export interface EvalContext {
  bundle: ModelBundle;
  scorer: WorkerScorer;
  loghubDir: URL;
}

/** Opens an evaluation context (close it with {@link closeEval}). */
export async function openEval(loghubDir: URL, modelPath?: string | URL): Promise<EvalContext> {
  const bundle = await loadModelBundle(modelPath);
  return { bundle, scorer: new WorkerScorer(bundle.path), loghubDir };
}

/** Releases the scoring worker. */
export function closeEval(ctx: EvalContext): void {
  ctx.scorer.close();
}

/** Mined events and their miner's view of template ids (a template that generalised has a new id). */
export interface Mined {
  events: MinedEvent[];
  /** The id a template has now, by the miner that mined `events` (`TemplateRegistry.resolve`). */
  currentTemplateId: (templateId: string) => string;
  /** The ids a template had before it generalised (`TemplateRegistry.formerIds`). */
  formerTemplateIds: (templateId: string) => readonly string[];
}

/** Mines `lines` with a fresh miner. */
export function mineLines(lines: Iterable<string>, format: LogFormat, source: string): Mined {
  const miner = new TemplateMiner();
  return {
    events: [...minedLineStream(lines, format, source, miner)],
    currentTemplateId: (id) => miner.registry.resolve(id),
    formerTemplateIds: (id) => miner.registry.formerIds(id),
  };
}

/** Runs detection over mined events with a fresh classifier state, following templates as the engine does. */
export function detect(
  ctx: EvalContext,
  mined: Mined,
  options: IncidentDetectionOptions = {},
) {
  return offlineIncidents(
    mined.events,
    new Classifier({ meta: ctx.bundle.meta }),
    (f, n) => ctx.scorer.score(f, n),
    { currentTemplateId: mined.currentTemplateId, formerTemplateIds: mined.formerTemplateIds, ...options },
  );
}

// ---------------------------------------------------------------- synthetic validation

/** Synthetic lines as mined events, with their labels and episodes. */
export interface SyntheticSet extends Mined {
  labels: LineLabel[];
  episodes: EpisodeRecord[];
  /** Event-time span, hours. */
  hours: number;
  /** Event time of the first line, ms. */
  startMs: number;
}

/** Generates a synthetic stream (seed, lines, rate, hosts, anomalies on/off) as mined events. */
export function syntheticSet(
  seed: number,
  lines: number,
  options: { rate?: number; hosts?: number; anomalies?: boolean; every?: number } = {},
): SyntheticSet {
  const source = new SyntheticWindowsSource({
    seed,
    rate: options.rate ?? 50,
    hosts: options.hosts ?? 1,
    anomalies: options.anomalies === false ? false : { every: options.every ?? 5000 },
  });
  const format = resolveLogFormat("windows");
  const miner = new TemplateMiner();
  const events: MinedEvent[] = [];
  const labels: LineLabel[] = [];
  let first = 0, last = 0;
  for (let i = 0; i < lines; i++) {
    const l = source.next();
    if (i === 0) first = l.timeMs;
    last = l.timeMs;
    const e = lineToEvent({ text: l.line, lineNo: l.lineNo }, format, {
      source: `synthetic:windows:${seed}`,
      host: l.host,
    }, l.timeMs);
    events.push(mineEvent(miner, e).event);
    labels.push(l.label);
  }
  const episodes = source.episodes().filter((e) => e.lastLine > 0 || e.kind === "silent_component")
    .filter((e) => Date.parse(e.start) < last);
  return {
    events,
    currentTemplateId: (id) => miner.registry.resolve(id),
    formerTemplateIds: (id) => miner.registry.formerIds(id),
    labels,
    episodes,
    hours: (last - first) / 3_600_000,
    startMs: first,
  };
}

/** Episode-level results on a synthetic stream. */
export interface EpisodeMetrics {
  /** Episodes scored (after the warm-up) and episodes skipped during it. */
  episodes: number;
  warmupEpisodes: number;
  /** Episodes with an incident opened within 30 s of the episode's start (event time). */
  detected: number;
  detectedByKind: Record<string, [number, number]>;
  /** Mean and max incidents per detected episode. */
  incidentsPerEpisodeMean: number;
  incidentsPerEpisodeMax: number;
  /** Incidents that belong to no episode. */
  falseIncidents: number;
  falsePerHour: number;
  hours: number;
  /** Line-level precision/recall against the synthetic labels (informative). */
  lines: Prf;
  examplesOfFalse: string[];
}

const DETECT_WITHIN_MS = 30_000;
/**
 * Episodes that start this soon after the stream's first event are not scored: no detector can know a
 * baseline it has not seen yet (a freshly started vigil learns for its first minutes). Reported apart.
 */
export const WARMUP_MS = 600_000;

/** Scores incidents against a synthetic stream's episodes. */
export function scoreEpisodes(
  set: SyntheticSet,
  incidents: readonly OfflineIncident[],
  events: readonly ClassifiedEvent[],
): EpisodeMetrics {
  const lineEpisode = new Map<number, number>();
  for (const l of set.labels) if (l.label !== "NORMAL" && l.episode > 0) lineEpisode.set(l.lineNo, l.episode);
  const byEpisode = new Map<number, OfflineIncident[]>();
  const falseOnes: OfflineIncident[] = [];
  for (const inc of incidents) {
    const eps = new Set<number>();
    for (const id of inc.lineIds) {
      const ep = lineEpisode.get(id);
      if (ep !== undefined) eps.add(ep);
    }
    if (inc.detector === "silence") {
      const t = Date.parse(inc.firstTs);
      for (const ep of set.episodes) {
        if (ep.kind !== "silent_component" || inc.component !== ep.component) continue;
        if (t >= Date.parse(ep.start) && t <= Date.parse(ep.end) + 60_000) eps.add(ep.id);
      }
    }
    if (eps.size === 0) falseOnes.push(inc);
    for (const ep of eps) {
      if (!byEpisode.has(ep)) byEpisode.set(ep, []);
      byEpisode.get(ep)!.push(inc);
    }
  }
  let detected = 0;
  const byKind: Record<string, [number, number]> = {};
  const counts: number[] = [];
  const scored = set.episodes.filter((ep) => Date.parse(ep.start) >= set.startMs + WARMUP_MS);
  // The last episode may be cut by the end of the stream: score it only if 30 s of stream follow its start.
  const endMs = set.startMs + set.hours * 3_600_000;
  const complete = scored.filter((ep) => Date.parse(ep.start) + DETECT_WITHIN_MS <= endMs);
  for (const ep of complete) {
    const k = (byKind[ep.kind] ??= [0, 0]);
    k[1]++;
    const incs = byEpisode.get(ep.id) ?? [];
    const start = Date.parse(ep.start);
    if (incs.some((i) => Date.parse(i.firstTs) <= start + DETECT_WITHIN_MS)) {
      detected++;
      k[0]++;
      counts.push(incs.length);
    }
  }
  const truth = set.labels.map((l) => l.label !== "NORMAL");
  return {
    episodes: complete.length,
    warmupEpisodes: set.episodes.length - scored.length,
    detected,
    detectedByKind: byKind,
    incidentsPerEpisodeMean: counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length,
    incidentsPerEpisodeMax: counts.length === 0 ? 0 : Math.max(...counts),
    falseIncidents: falseOnes.length,
    falsePerHour: falseOnes.length / Math.max(set.hours, 1e-9),
    hours: set.hours,
    lines: prf(events.map((e) => e.classification !== "NORMAL"), truth),
    examplesOfFalse: falseOnes.slice(0, 5).map((i) =>
      `${i.detector}/${i.severity} ×${i.count}: ${i.title.slice(0, 100)}`
    ),
  };
}

// ---------------------------------------------------------------- Loghub systems

/** Mined events of a Loghub 2k sample, as `deno task incidents` reads it. */
export async function loghubEvents(ctx: EvalContext, system: string): Promise<Mined> {
  const lines = splitLines(await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, ctx.loghubDir)));
  return mineLines(lines, resolveLogFormat(system.toLowerCase()), `loghub:${system}`);
}

/** Incidents on one Loghub system. */
export interface SystemIncidents {
  incidents: number;
  critical: number;
  byDetector: Record<string, number>;
  flaggedShare: number;
  top: string[];
}

/** Runs detection on a Loghub sample and summarises its incidents. */
export async function systemIncidents(
  ctx: EvalContext,
  system: string,
  options: IncidentDetectionOptions = {},
): Promise<SystemIncidents> {
  const run = await detect(ctx, await loghubEvents(ctx, system), options);
  const byDetector: Record<string, number> = {};
  for (const i of run.incidents) byDetector[i.detector] = (byDetector[i.detector] ?? 0) + 1;
  return {
    incidents: run.incidents.length,
    critical: run.incidents.filter((i) => i.severity === "CRITICAL_ANOMALY").length,
    byDetector,
    flaggedShare: run.events.filter((e) => e.classification !== "NORMAL").length / run.events.length,
    top: run.incidents.slice(0, 4).map((i) =>
      `${i.detector}/${i.severity} ×${i.count}: ${i.title.slice(0, 90)}`
    ),
  };
}

/** The validation systems (every shared Loghub system but BGL). */
export const VALIDATION_SYSTEMS: readonly string[] = LOGHUB_TRAINING_SYSTEMS;

// ---------------------------------------------------------------- BGL test

/** BGL ground truth: the first token of each line (`-` = normal). */
export async function bglTruth(loghubDir: URL): Promise<boolean[]> {
  const lines = splitLines(await Deno.readTextFile(new URL("BGL/BGL_2k.log", loghubDir)));
  return lines.map((l) => !l.startsWith("- "));
}

/** BGL results with the trivial baselines of the same run. */
export interface BglResults {
  zeroShot: Prf;
  withFeedback: Prf;
  incidents: number;
  critical: number;
  baselines: Record<string, Prf>;
  baselinesSecondHalf: Record<string, Prf>;
  /**
   * Where the false positives of lines 1001–2000 after feedback come from (why the feedback figure is what it
   * is; measured in the same run, never used to choose anything).
   */
  feedbackGap: FeedbackGap;
}

/** False positives left after feedback, by why feedback could not remove them. */
export interface FeedbackGap {
  /** Flagged normal lines of lines 1001–2000. */
  falsePositives: number;
  /** …of a template no incident of lines 1–1000 held (nothing to act on; feedback never covers another template). */
  unseenTemplate: number;
  /** …of a template confirmed a real problem (most of its flagged lines in 1–1000 were alerts). */
  confirmedTemplate: number;
  /** …of a template called not a problem, flagged all the same (its rate departed, or a new incident key). */
  dismissedTemplate: number;
}

/** A keyword rule: any failure word of a short, generic list (the kind of rule a team writes on day one). */
const KEYWORD_RULE = /\b(?:error|fail(?:ed|ure)?|fatal|panic|exception|critical|severe)\b/i;

/**
 * Measures BGL (a test set: call once per design, report, never tune on it).
 * Feedback: after line 1000 an operator acts on every incident that has lines in 1–1000 — "real problem" when
 * most of those lines are alerts, else "not a problem" — which is all an operator can do from the incident feed.
 */
export async function evaluateBgl(
  ctx: EvalContext,
  options: IncidentDetectionOptions = {},
): Promise<BglResults> {
  const truth = await bglTruth(ctx.loghubDir);
  const mined = await loghubEvents(ctx, "BGL");
  const events = mined.events;
  const zero = await detect(ctx, mined, options);
  const flagged = (e: ClassifiedEvent) => e.classification !== "NORMAL";

  const detection = new IncidentDetection({
    currentTemplateId: mined.currentTemplateId,
    formerTemplateIds: mined.formerTemplateIds,
    ...options,
  });
  const classifier = new Classifier({ meta: ctx.bundle.meta });
  const score = (f: Float32Array, n: number) => ctx.scorer.score(f, n);
  const firstHalf: ClassifiedEvent[] = [];
  for await (const e of judgeEvents(events.slice(0, 1000), classifier, score, detection)) firstHalf.push(e);
  const lineOf = new Map<string, number[]>();
  for (const e of firstHalf) {
    if (e.incidentId === undefined) continue;
    if (!lineOf.has(e.incidentId)) lineOf.set(e.incidentId, []);
    lineOf.get(e.incidentId)!.push(e.lineNo);
  }
  const verdictOf = new Map<string, "real_problem" | "not_a_problem">();
  for (const [id, lines] of lineOf) {
    const alerts = lines.filter((n) => truth[n - 1]).length;
    const action = alerts * 2 > lines.length ? "real_problem" : "not_a_problem";
    for (const t of detection.tracker.templatesOf(id)) verdictOf.set(mined.currentTemplateId(t), action);
    await detection.act({ incidentId: id, action, by: "evaluation" });
  }
  const secondHalf: ClassifiedEvent[] = [];
  for await (const e of judgeEvents(events.slice(1000), classifier, score, detection)) secondHalf.push(e);
  const feedbackGap: FeedbackGap = {
    falsePositives: 0,
    unseenTemplate: 0,
    confirmedTemplate: 0,
    dismissedTemplate: 0,
  };
  for (const e of secondHalf) {
    if (!flagged(e) || truth[e.lineNo - 1]) continue;
    feedbackGap.falsePositives++;
    const verdict = verdictOf.get(mined.currentTemplateId(e.templateId));
    if (verdict === undefined) feedbackGap.unseenTemplate++;
    else if (verdict === "real_problem") feedbackGap.confirmedTemplate++;
    else feedbackGap.dismissedTemplate++;
  }

  const levelOf = (e: MinedEvent) => e.level;
  const rules: Record<string, (e: MinedEvent) => boolean> = {
    "level fatal": (e) => levelOf(e) === "fatal",
    "level ≥ critical": (e) => levelOf(e) === "fatal" || levelOf(e) === "critical",
    "level ≥ error": (e) => ["error", "critical", "fatal"].includes(levelOf(e)),
    "keyword rule": (e) => KEYWORD_RULE.test(e.content),
  };
  const baselines: Record<string, Prf> = {};
  const baselinesSecondHalf: Record<string, Prf> = {};
  for (const [name, rule] of Object.entries(rules)) {
    baselines[name] = prf(events.map(rule), truth);
    baselinesSecondHalf[name] = prf(events.slice(1000).map(rule), truth.slice(1000));
  }
  return {
    zeroShot: prf(zero.events.map(flagged), truth),
    withFeedback: prf(secondHalf.map(flagged), truth.slice(1000)),
    incidents: zero.incidents.length,
    critical: zero.incidents.filter((i) => i.severity === "CRITICAL_ANOMALY").length,
    baselines,
    baselinesSecondHalf,
    feedbackGap,
  };
}

// ---------------------------------------------------------------- injected episodes on real formats

/** The failure injected into the validation systems (generic wording, no system's own vocabulary). */
export const INJECTED_FAILURE = "Failed to write block 4711 to /data/3: Input/output error, device offline";

/**
 * Never-seen failures injected one at a time into each validation system: generic operator wording (storage,
 * hangs, clusters, crashes, TLS, memory, resource exhaustion, liveness), written without any system's own
 * lines in view. Some carry no word of the error lexicon on purpose (a hang, a missed heartbeat): those are the
 * failures only a learned judgement, not a word list, can catch.
 */
export const INJECTED_FAILURES: readonly string[] = [
  INJECTED_FAILURE,
  "Watchdog: task kworker/3:1 blocked for more than 120 seconds",
  "Replica node-7 unreachable, quorum lost; refusing writes",
  "Segmentation fault (core dumped) in worker process 4411",
  "Certificate verify failed: certificate has expired for peer 10.2.3.4",
  "Out of memory: Killed process 9931 (java) total-vm:8123456kB",
  "Connection pool exhausted: 0 of 64 connections available, request dropped",
  "Heartbeat from node-12 missed 5 times, marking node dead",
];

/**
 * Never-seen failures worded outside the error lexicon (no word of `error_lexicon.ts`), written after the
 * model of this design was chosen and never used to choose anything: the held-out test of what a learned
 * judgement adds to the word list (clock skew, a leaderless cluster, a skipped backup, a saturated pool, a
 * degraded array, replication lag, a stuck journal replay, a worn-out cache battery).
 */
export const HELD_OUT_FAILURES: readonly string[] = [
  "Clock skew of 4.7 seconds between this node and its time source, leases may expire early",
  "Leader election did not converge after 30 rounds; the cluster has no leader",
  "Backup job skipped: target volume /mnt/backup is not mounted",
  "Thread pool saturated: 512 tasks queued, new tasks are being turned away",
  "RAID array md0 degraded, rebuilding onto spare sdc",
  "Replication lag 3600 seconds behind primary, reads may be stale",
  "Journal replay stuck at sequence 88121, service not ready after 600 seconds",
  "Battery backup unit on controller 0 needs replacement, write cache switched to write-through",
];

/** Result of injecting a burst of a never-seen failure into a Loghub sample. */
export interface InjectionResult {
  /** An incident holding injected lines opened within 30 s (event time) of the first injected line. */
  detected: boolean;
  /** Incidents holding injected lines. */
  incidents: number;
  /** Injected lines flagged / injected. */
  flagged: number;
  injected: number;
}

/**
 * Injects `count` copies of a line whose message is {@link INJECTED_FAILURE} (same header as the line at
 * `atShare` of the sample, so the same host, component and time) and runs detection.
 */
export async function injectFailure(
  ctx: EvalContext,
  system: string,
  options: IncidentDetectionOptions = {},
  atShare = 0.75,
  count = 20,
  failure = INJECTED_FAILURE,
): Promise<InjectionResult> {
  const lines = splitLines(await Deno.readTextFile(new URL(`${system}/${system}_2k.log`, ctx.loghubDir)));
  const format = resolveLogFormat(system.toLowerCase());
  const at = Math.floor(lines.length * atShare);
  const template = [...minedLineStream([lines[at]], format, "probe")][0];
  const cut = lines[at].lastIndexOf(template.content);
  const injectedLine = cut >= 0 && template.content.length > 0
    ? lines[at].slice(0, cut) + failure
    : `${lines[at]} ${failure}`;
  const all = [...lines.slice(0, at), ...Array(count).fill(injectedLine), ...lines.slice(at)];
  const injectedIds = new Set(Array.from({ length: count }, (_, i) => at + i + 1));
  const run = await detect(ctx, mineLines(all, format, `loghub:${system}+injected`), options);
  const holding = run.incidents.filter((i) => i.lineIds.some((n) => injectedIds.has(n)));
  const firstMs = Date.parse(run.events[at].ts);
  return {
    detected: holding.some((i) => Date.parse(i.firstTs) <= firstMs + DETECT_WITHIN_MS),
    incidents: holding.length,
    flagged: run.events.filter((e) => injectedIds.has(e.lineNo) && e.classification !== "NORMAL").length,
    injected: count,
  };
}
