/** Generated JSON-lines application logs (the whole object is the message). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** One JSON object per line, as structured loggers (zap, pino, structlog) write them. */
export const jsonLines: CorpusFamily = {
  name: "JsonLines",
  describes: "JSON lines (zap/pino style)",
  templates: [
    `{"level":"info","ts":"{ts}","logger":"http","msg":"request completed","method":"{method}","path":"{path}","status":{status},"duration_ms":{num},"remote":"{ip}:{port}"}`,
    `{"level":"error","ts":"{ts}","logger":"db","msg":"query failed","error":"context deadline exceeded","query_id":"{uuid}","elapsed":"{dur}"}`,
    `{"level":"warn","ts":"{ts}","logger":"cache","msg":"cache miss ratio high","ratio":{ratio},"keys":{num}}`,
    `{"level":"info","ts":"{ts}","logger":"worker","msg":"job finished","job":"{word}","job_id":"{uuid}","attempt":{num},"took":"{dur}"}`,
    `{"level":"info","ts":"{ts}","logger":"auth","msg":"user logged in","user":"{user}","ip":"{ip}","mfa":true}`,
    `{"level":"info","ts":"{ts}","logger":"auth","msg":"user logged out","user":"{user}","session":"{hex}"}`,
    `{"level":"error","ts":"{ts}","logger":"grpc","msg":"rpc error","method":"/{word}.v1.{word}/Get","code":"Unavailable","peer":"{host}:{port}"}`,
    `{"level":"debug","ts":"{ts}","logger":"kafka","msg":"committed offsets","topic":"{word}","partition":{num},"offset":{num}}`,
    `{"level":"info","ts":"{ts}","logger":"main","msg":"listening","addr":"0.0.0.0:{port}","version":"{num}.{num}.{num}"}`,
    `{"level":"fatal","ts":"{ts}","logger":"main","msg":"config file not found","path":"{path}"}`,
  ],
};
