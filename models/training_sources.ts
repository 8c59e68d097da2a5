/**
 * The training data manifest: which data `deno task train` reads, and how each is labelled. BGL is never
 * trained on (it is the zero-shot evaluation set); `training_sources_test.ts` checks that.
 *
 * @module
 */

/** One training source. */
export interface TrainingSource {
  /** `synthetic:windows:<seed>` or `loghub:<System>`. */
  name: string;
  kind: "synthetic" | "loghub";
  /** Loghub system folder (loghub kind) — read from `../shared/loghub/<System>/<System>_2k.log`. */
  system?: string;
  /** Format preset. */
  format: string;
  /** Synthetic seed and line count. */
  seed?: number;
  lines?: number;
  /** How lines are labelled (`weak+bursts`: weak labels, injected bursts labelled ANOMALY). */
  labels: "ground-truth" | "weak" | "weak+bursts" | "weak+transplants";
  /** Seed of the burst augmentation (`burst_augmentation.ts`); absent = the stream as it is. */
  burstSeed?: number;
  /** Seed of the transplant augmentation (`transplant_augmentation.ts`); absent = none. */
  transplantSeed?: number;
}

/** Loghub systems used with weak labels (every one under shared/ except BGL). */
export const LOGHUB_TRAINING_SYSTEMS = [
  "Apache",
  "HDFS",
  "Hadoop",
  "Linux",
  "OpenSSH",
  "Windows",
  "Zookeeper",
];

/** The manifest. */
export const TRAINING_SOURCES: readonly TrainingSource[] = Object.freeze([
  ...[11, 12, 13, 14].map((seed): TrainingSource => ({
    name: `synthetic:windows:${seed}`,
    kind: "synthetic",
    format: "windows",
    seed,
    lines: 20_000,
    labels: "ground-truth",
  })),
  ...LOGHUB_TRAINING_SYSTEMS.map((system): TrainingSource => ({
    name: `loghub:${system}`,
    kind: "loghub",
    system,
    format: system.toLowerCase(),
    labels: "weak",
  })),
  ...LOGHUB_TRAINING_SYSTEMS.map((system, i): TrainingSource => ({
    name: `loghub-bursts:${system}`,
    kind: "loghub",
    system,
    format: system.toLowerCase(),
    labels: "weak+bursts",
    burstSeed: 1000 + i,
  })),
  ...[0, 1].flatMap((copy) =>
    LOGHUB_TRAINING_SYSTEMS.map((system, i): TrainingSource => ({
      name: `loghub-transplants:${system}:${copy}`,
      kind: "loghub",
      system,
      format: system.toLowerCase(),
      labels: "weak+transplants",
      transplantSeed: 2000 + 100 * copy + i,
    }))
  ),
]);
