/** Worker for the worker-pool benchmark: the same three functions over a batch of lines. */
import { serveWorker } from "../engine/serve_worker.ts";
import { hashKey, parse, score } from "./engine_bench_functions.ts";

serveWorker((lines) => (lines as string[]).map((l) => score(hashKey(parse(l)))));
