/**
 * The versioned feature spec: the names and order of the classifier's input vector and every parameter that
 * changes what a feature means (hash buckets, lexicon words, online-state options). Its hash is stored beside
 * the ONNX model (`models/classifier.meta.json`) and checked at load: a model trained on another spec is
 * refused (see `model_bundle.ts`).
 *
 * @module
 */
import { stableHash } from "../parsing/stable_hash.ts";
import { LEXICON_GROUPS } from "./error_lexicon.ts";

/** Hash buckets for template tokens (signed hashing trick). */
export const TOKEN_BUCKETS = 64;
/** Hash buckets for the component name (signed). */
export const COMPONENT_BUCKETS = 8;
/** Level one-hot groups, from `LEVELS`. */
export const LEVEL_GROUPS = ["low", "info", "warn", "error", "fatal"] as const;

/** Online-state options the features were defined with (part of the spec). */
export const STATE_OPTIONS = Object.freeze({
  bucketMs: 60_000,
  rateAlpha: 0.1,
  shareFastAlpha: 1 / 32,
  shareSlowAlpha: 1 / 1024,
});

/** Scalar (named) features after the hashed blocks, in order. */
export const SCALAR_FEATURES = Object.freeze([
  ...LEVEL_GROUPS.map((l) => `level_${l}`),
  "novel_first", // first occurrence of the template
  "novel_recent", // seen fewer than 5 times before
  "novel_log_count", // log1p(count) / 10
  "novel_age", // log1p(age in s) / 20
  "rarity", // -log(share of all events so far) / 15
  "component_first",
  "burst_share", // log(fast share / slow share) / 5, clipped to [-1, 1]
  "share_fast",
  "template_rate_z", // σ above baseline / 10, clipped to [0, 1]
  "component_rate_z",
  "rate_warm", // ≥ 5 rate buckets in the template's baseline
  ...LEXICON_GROUPS.map((g) => `lex_${g.name}`),
  "lex_count", // distinct failure-class groups / 3, clipped
  "semantics", // any failure-class group and no mitigation
  "numeric_share", // share of tokens that are numbers / hex
  "content_len", // log1p(chars) / 8
  "parse_error",
  "repaired", // truncated / invalid_utf8 / binary
  "sem_x_burst",
  "sem_x_level_error",
  "level_error_x_recent",
  "level_severe_x_burst", // an error/critical/fatal-level template taking over the stream
  // Relative to the event's system (what generalises from one system to another):
  "vocab_new_share", // a new template's words the system never used before / its words (0 when not new)
  "vocab_new_count", // …their number / 8, clipped
  "vocab_rare_share", // a new template's words the system used in only one earlier template / its words
  "system_novelty", // EWMA share of the system's recent events that brought a new template
  "system_settled", // ≥ 500 events and that novelty rate < 1 %
  "level_rarity", // -log(share of the system's earlier events at this level group) / 10, clipped
]);

/** The feature spec (everything that defines the vector). */
export const FEATURE_SPEC = Object.freeze({
  name: "vigil-features",
  version: 2,
  tokenBuckets: TOKEN_BUCKETS,
  componentBuckets: COMPONENT_BUCKETS,
  scalars: SCALAR_FEATURES,
  lexicon: LEXICON_GROUPS,
  state: STATE_OPTIONS,
});

/** Length of the feature vector. */
export const FEATURE_DIM = TOKEN_BUCKETS + COMPONENT_BUCKETS + SCALAR_FEATURES.length;

/** Offset of the first scalar feature in the vector. */
export const SCALAR_OFFSET = TOKEN_BUCKETS + COMPONENT_BUCKETS;

/** Every feature name in vector order (`tok_0`…, `comp_0`…, scalars). */
export const FEATURE_NAMES: readonly string[] = Object.freeze([
  ...Array.from({ length: TOKEN_BUCKETS }, (_, i) => `tok_${i}`),
  ...Array.from({ length: COMPONENT_BUCKETS }, (_, i) => `comp_${i}`),
  ...SCALAR_FEATURES,
]);

/** Index of a scalar feature in the vector. @throws {RangeError} for an unknown name. */
export function featureIndex(name: string): number {
  const i = FEATURE_NAMES.indexOf(name);
  if (i < 0) throw new RangeError(`Cannot find feature "${name}" in the feature spec`);
  return i;
}

/** `<name>@<version>#<hash>`: what the model's metadata must carry. */
export const FEATURE_SPEC_ID = `${FEATURE_SPEC.name}@${FEATURE_SPEC.version}#${
  stableHash(JSON.stringify(FEATURE_SPEC))
}`;
