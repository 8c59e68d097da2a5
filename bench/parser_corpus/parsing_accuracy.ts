/**
 * Parsing accuracy (PA): the share of lines whose final template is exactly the ground-truth template a person
 * reads, after one normalisation applied alike to truth and to every parser: whitespace runs are one space,
 * Drain3's mask names (`<NUM>`, `<IP>`, …) are `<*>`, and a run of `<*>`s joined only by spaces or
 * `. : - / , _ + @ #` is one `<*>` (`<*>:<*>` and `<*>` both say "an endpoint here"; a parser that splits or
 * joins such a variable is not penalised, one that keeps a variable as a constant or masks a constant is).
 * @module
 */

const DRAIN3_MASK = /<[A-Z]+>/g;
const VARIABLE_RUN = /<\*>(?:[\s.:\-\/,_+@#]*<\*>)+/g;

/** The comparable form of a template (see module doc). */
export function normaliseTemplate(template: string): string {
  return template.replace(DRAIN3_MASK, "<*>").replace(/\s+/g, " ").trim().replace(VARIABLE_RUN, "<*>");
}

/**
 * PA of predicted final templates against truth templates (same length, index-aligned).
 * @throws {RangeError} when the arrays differ in length.
 */
export function parsingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) {
    throw new RangeError(
      `Cannot score PA as lengths differ: ${predicted.length} predicted, ${truth.length} truth`,
    );
  }
  const cache = new Map<string, string>();
  const norm = (t: string) => {
    let n = cache.get(t);
    if (n === undefined) cache.set(t, n = normaliseTemplate(t));
    return n;
  };
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (norm(predicted[i]) === norm(truth[i])) correct++;
  return truth.length === 0 ? 1 : correct / truth.length;
}
