/**
 * Worker for the worker-pool benchmark: the same three functions over a batch of lines. A `string[]` payload
 * gets `Scored[]` back (structured clone both ways); a single `"\n"`-joined string gets the scores back as a
 * transferred `Float64Array` (the cheap encoding a real classifier would use).
 */
import { serveWorker, withTransfer } from "../engine/serve_worker.ts";
import { hashKey, parse, score } from "./engine_bench_functions.ts";

serveWorker((payload) => {
  if (typeof payload === "string") {
    const lines = payload.split("\n");
    const scores = new Float64Array(lines.length);
    for (let i = 0; i < lines.length; i++) scores[i] = score(hashKey(parse(lines[i]))).score;
    return withTransfer(scores, [scores.buffer]);
  }
  return (payload as string[]).map((l) => score(hashKey(parse(l))));
});
