/** Generated nginx/Apache combined access log lines (the whole line is the message). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** nginx/Apache combined-format access lines. */
export const webAccess: CorpusFamily = {
  name: "WebAccess",
  describes: "nginx/Apache combined access log",
  templates: [
    `{ip} - - [{clf}] "{method} {path} HTTP/1.1" {status} {num} "-" "{ua}"`,
    `{ip} - {user} [{clf}] "GET {path} HTTP/2.0" {status} {num} "https://{host}{path}" "{ua}"`,
    `{ip} - - [{clf}] "-" 408 0 "-" "-"`,
    `{ip} - - [{clf}] "HEAD / HTTP/1.0" {status} 0 "-" "{ua}"`,
    `{ip} - - [{clf}] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"`,
    `{ip} - - [{clf}] "\\x16\\x03\\x01\\x00" 400 157 "-" "-"`,
    `{ip} - - [{clf}] "GET /static/{hex}.js HTTP/1.1" 304 0 "https://{host}/" "Mozilla/5.0"`,
  ],
};
