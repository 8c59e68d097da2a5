/**
 * The classifier as a pipeline stage: `Sourced<MinedEvent>` in, `Sourced<ClassifiedEvent>` out, on the engine's
 * worker-pool actor (`engine/worker_pool.ts`).
 *
 * Wiring: the stateful half runs in the pool actor's thread, in event order — `encode` computes each batch's
 * features from the online state (template counts, EWMA rate baselines) so that state is exact and never
 * shared between threads; the stateless half — ONNX inference on onnxruntime-web (WASM, one thread) — runs in
 * N Web Workers (`actors/classifier_worker.ts`); the scores are then judged in stream order by incident
 * detection (`lib/incidents`): each event's label, score and reasons are its incident's, operators act on
 * incidents (suppressions), and the incidents an event opened or changed ride on its record (`Sourced.incidents`)
 * to the hot tier and the live tap. Batches are the mailbox's (up to `batchSize`); at most `maxInFlight` batches
 * are in flight, so a slow pool blocks the parser instead of buffering. A crashed or hung worker is replaced and
 * its batches sent again; a batch is dead-lettered only after failing twice on its own account
 * (`engine/worker_pool.ts`); a model refused at load fails `ClassifierPool.open` with a message
 * naming the file and the expected feature spec. `killWorker` terminates a worker as if it crashed (fault
 * drills: the chaos harness's engine child calls it on SIGUSR2).
 *
 * State that survives restarts (see `lib/classification/online_state.ts`): the online state is written to
 * `<dataDir>/online_state.json` and incident detection to `<dataDir>/incident_state.json` every
 * `stateSaveIntervalMs` and at close; suppressions are appended to `<dataDir>/suppressions.jsonl` on every
 * operator action and every merge of other engines' feedback (that log compacted at close).
 * All live outside the actor, so a supervisor restart of the stage keeps them.
 *
 * Several engines in one consumer group: every engine detects over the partitions it owns. Events are keyed
 * by host + component, so one component of one host — what silence and per-component grouping watch — is
 * on one partition and so in one engine; incident ids are deterministic (key + opening event id), so two
 * engines, or one engine replaying after a crash or rebalance, write the same incident document.
 *
 * @module
 */
import type { ActorContext } from "../engine/actor_context.ts";
import type { Sender } from "../engine/actor_ref.ts";
import type { StageNode } from "../engine/pipeline.ts";
import { sendAll } from "../engine/send_all.ts";
import { workerPool, type WorkerPoolActor, type WorkerPoolStats } from "../engine/worker_pool.ts";
import { Classifier, type PreparedBatch } from "../lib/classification/classifier.ts";
import { DEFAULT_MODEL_URL, loadModelBundle } from "../lib/classification/model_bundle.ts";
import { OnlineStateStore } from "../lib/classification/online_state_store.ts";
import { IncidentDetection, type IncidentDetectionOptions } from "../lib/incidents/incident_detection.ts";
import { detectionOptionsFromConfig } from "../lib/incidents/detection_config.ts";
import { IncidentStateStore } from "../lib/incidents/incident_state_store.ts";
import { judgePrepared } from "../lib/incidents/judge_events.ts";
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import type { ClassifiedEvent, MinedEvent } from "../lib/event/log_event.ts";
import type { Sourced } from "./delivery_record.ts";
import type { ScoreRequest } from "./classifier_worker.ts";

/** Options of {@link ClassifierPool.open}. */
export interface ClassifierPoolOptions {
  /** The ONNX model (its `.meta.json` beside it). Default `models/classifier.onnx`. */
  modelPath?: string | URL;
  /** Web Workers. Default 2. */
  workers?: number;
  /** Batches in flight across the pool. Default 4 × workers. */
  maxInFlight?: number;
  /** Most events per batch. Default 256. */
  batchSize?: number;
  /** Where the online state, detection state and suppressions persist; `undefined` keeps them in memory only. */
  dataDir?: string;
  /** Online-state save period, ms. Default 60 000. */
  stateSaveIntervalMs?: number;
  /** The worker module. Default `actors/classifier_worker.ts`. */
  workerUrl?: URL;
  /** Incident detection settings (default: every detector with its defaults). */
  detection?: IncidentDetectionOptions;
}

/** The classifier pool (see module doc). */
export class ClassifierPool {
  readonly classifier: Classifier;
  /** Incident detection: labels events and implements the dashboard's incident actions. */
  readonly detection: IncidentDetection;
  readonly #options: ClassifierPoolOptions;
  readonly #modelPath: string;
  readonly #stateStore: OnlineStateStore | undefined;
  readonly #incidentStore: IncidentStateStore | undefined;
  readonly #prepared = new WeakMap<Sourced<MinedEvent>[], PreparedBatch>();
  readonly #scores = new WeakMap<Sourced<MinedEvent>[], Float32Array>();
  #lastSave = Date.now();
  /** The stage's pool actor (the latest one when a supervisor restarted the stage). */
  #actor: WorkerPoolActor<Sourced<MinedEvent>> | undefined;

  private constructor(
    classifier: Classifier,
    options: ClassifierPoolOptions,
    modelPath: string,
    stores: { state?: OnlineStateStore; incidents?: IncidentStateStore },
    detection: IncidentDetection,
  ) {
    this.classifier = classifier;
    this.detection = detection;
    this.#incidentStore = stores.incidents;
    this.#options = options;
    this.#modelPath = modelPath;
    this.#stateStore = stores.state;
  }

  /**
   * Loads and verifies the model, restores the persisted online state, detection state and suppressions.
   * @throws {ModelLoadError} when the model is missing, corrupt, or made for another feature spec.
   */
  static async open(options: ClassifierPoolOptions = {}): Promise<ClassifierPool> {
    const bundle = await loadModelBundle(options.modelPath ?? DEFAULT_MODEL_URL);
    const stateStore = options.dataDir
      ? new OnlineStateStore(`${options.dataDir}/online_state.json`)
      : undefined;
    const classifier = new Classifier({ meta: bundle.meta, state: await stateStore?.load() });
    const incidentStore = options.dataDir ? new IncidentStateStore(options.dataDir) : undefined;
    const detection = new IncidentDetection({
      ...options.detection,
      onSuppressionsChanged: (book) => incidentStore?.saveSuppressions(book) ?? Promise.resolve(),
    });
    await incidentStore?.load(detection);
    return new ClassifierPool(classifier, options, bundle.path, {
      state: stateStore,
      incidents: incidentStore,
    }, detection);
  }

  /**
   * Opens the pool from vigil's config (`classifier.*`, `engine.classifierWorkers`).
   * @param lineage how a template's id changes as it generalises (the parser's miner registry), see
   *   `IncidentDetectionOptions.currentTemplateId` and `formerTemplateIds`; and `onFeedback`, where operators'
   *   changes are shared with the other engines of the group (`actors/feedback_sync.ts`).
   */
  static create(
    config: VigilConfig,
    lineage: Pick<IncidentDetectionOptions, "currentTemplateId" | "formerTemplateIds" | "onFeedback"> = {},
  ): Promise<ClassifierPool> {
    const c = config.classifier;
    return ClassifierPool.open({
      modelPath: c.modelPath,
      workers: config.engine.classifierWorkers,
      maxInFlight: c.maxInFlight,
      batchSize: c.batchSize,
      dataDir: config.incidents.dataDir ?? c.dataDir,
      stateSaveIntervalMs: c.stateSaveIntervalMs,
      detection: { ...detectionOptionsFromConfig(config), ...lineage },
    });
  }

  /** The pipeline stage (name it `classifier`). */
  stage(): StageNode<Sourced<MinedEvent>, Sourced<ClassifiedEvent>> {
    const workers = this.#options.workers ?? 2;
    return {
      kind: "stage",
      batchSize: this.#options.batchSize ?? 256,
      create: (out: Sender<Sourced<ClassifiedEvent>>, ctx: ActorContext<Sourced<MinedEvent>>) =>
        this.#actor = workerPool<Sourced<MinedEvent>, Sourced<ClassifiedEvent>>(ctx, {
          url: this.#options.workerUrl ?? new URL("./classifier_worker.ts", import.meta.url),
          workers,
          maxInFlight: this.#options.maxInFlight,
          encode: (batch) => {
            const prepared = this.#prepare(batch);
            const request: ScoreRequest = {
              model: this.#modelPath,
              features: prepared.features.slice(),
              rows: prepared.rows,
            };
            return { payload: request, transfer: [request.features.buffer] };
          },
          // Replies arrive in completion order, but incident detection must see events in stream order:
          // decode only keeps the scores, and the judging happens in onResults, which runs in batch order.
          decode: (payload, batch) => {
            this.#scores.set(batch, payload as Float32Array);
            return batch.map((s) => ({ event: s.event as ClassifiedEvent, kafka: s.kafka }));
          },
          onResults: (results, batch) => {
            const prepared = this.#prepare(batch);
            const scores = this.#scores.get(batch)!;
            this.#scores.delete(batch);
            const version = this.classifier.meta.modelVersion;
            let flagged = 0;
            for (let i = 0; i < batch.length; i++) {
              const record = results[i];
              record.event = judgePrepared(this.detection, version, batch[i].event, prepared, i, scores[i]);
              if (record.event.classification !== "NORMAL") flagged++;
              // An incident change rides on the record of the event that made it, so the change is durable
              // before that event's offset can commit.
              const changed = this.detection.drainChanged();
              if (changed.length > 0) record.incidents = changed;
            }
            ctx.metrics.count("classified", batch.length);
            if (flagged > 0) ctx.metrics.count("flagged", flagged);
            // Detection state and the suppressions book are bounded (a hostile stream or operator cannot grow
            // them without limit); their evictions show here.
            ctx.metrics.gauge("suppressions", this.detection.book.size);
            ctx.metrics.gauge("suppressions_evicted", this.detection.book.evicted);
            ctx.metrics.gauge("detection_evicted", this.detection.evicted);
            this.#maybeSave(ctx);
            return sendAll(out, results);
          },
        }),
    };
  }

  /**
   * Terminates worker `index` as if it crashed (a fault drill): the pool replaces it and retries its in-flight
   * batches, which are still emitted once each, in order.
   * @returns false when the stage has not started (nothing to kill)
   */
  killWorker(index = 0): boolean {
    if (this.#actor === undefined) return false;
    this.#actor.killWorker(index);
    return true;
  }

  /** Workers replaced and batches retried by the running stage (zeros before it starts). */
  get workerStats(): Readonly<WorkerPoolStats> {
    return this.#actor?.stats ?? { replacements: 0, retries: 0, inFlight: 0 };
  }

  /** Features of a batch, computed once (a retried batch must not be learned twice). */
  #prepare(batch: Sourced<MinedEvent>[]): PreparedBatch {
    let p = this.#prepared.get(batch);
    if (p === undefined) {
      p = this.classifier.prepare(batch.map((s) => s.event));
      this.#prepared.set(batch, p);
    }
    return p;
  }

  #maybeSave(ctx: ActorContext<Sourced<MinedEvent>>): void {
    const every = this.#options.stateSaveIntervalMs ?? 60_000;
    if (this.#stateStore === undefined || Date.now() - this.#lastSave < every) return;
    this.#lastSave = Date.now();
    this.#stateStore.save(this.classifier.features.state).catch((e) =>
      ctx.log.warn("classifier state save failed", { error: String(e) })
    );
    this.#incidentStore?.saveState(this.detection).catch((e) =>
      ctx.log.warn("incident state save failed", { error: String(e) })
    );
  }

  /**
   * Appends what changed in the suppressions book to its log (fsynced), e.g. after merging other engines'
   * feedback; nothing without a data dir.
   */
  saveSuppressions(): Promise<void> {
    return this.#incidentStore?.saveSuppressions(this.detection.book) ?? Promise.resolve();
  }

  /** Writes the online state and the incident detection state now. */
  async saveState(): Promise<void> {
    await Promise.all([
      this.#stateStore?.save(this.classifier.features.state),
      this.#incidentStore?.saveState(this.detection),
    ]);
  }

  /**
   * Saves the state (the workers stop with the stage). Suppressions were appended when they changed; their
   * log is compacted now, which also keeps the counts of what they silenced.
   */
  async close(): Promise<void> {
    await Promise.all([this.saveState(), this.#incidentStore?.compactSuppressions(this.detection.book)]);
  }
}
