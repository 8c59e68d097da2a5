/**
 * Precision, recall and F1 of line predictions against line labels: what the incident evaluation reports for
 * vigil and for the trivial baselines, computed the same way for all of them.
 *
 * @module
 */

/** Precision / recall / F1 of a line range, with the counts they come from. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * Scores predictions against the truth, line by line (a flagged line — ANOMALY or CRITICAL_ANOMALY — is a
 * positive). An empty denominator scores 0 rather than NaN so reports stay printable.
 */
export function prf(predicted: boolean[], truth: boolean[]): Prf {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < truth.length; i++) {
    if (predicted[i] && truth[i]) tp++;
    else if (predicted[i]) fp++;
    else if (truth[i]) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}
