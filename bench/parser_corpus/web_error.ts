/** Generated nginx/Apache error log messages (after the timestamp and level). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** nginx and Apache error-log messages. */
export const webError: CorpusFamily = {
  name: "WebError",
  describes: "nginx/Apache error log",
  templates: [
    `{pid}#{num}: *{num} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: {host}, request: "GET {path} HTTP/1.1", upstream: "http://{ip}:{port}{path}", host: "{host}"`,
    `{pid}#{num}: *{num} connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: {host}, request: "POST {path} HTTP/1.1", upstream: "http://{ip}:{port}{path}", host: "{host}"`,
    `{pid}#{num}: *{num} open() "{path}" failed (2: No such file or directory), client: {ip}, server: {host}, request: "GET {path} HTTP/1.1", host: "{host}"`,
    `{pid}#{num}: *{num} client intended to send too large body: {num} bytes, client: {ip}, server: {host}, request: "POST {path} HTTP/1.1", host: "{host}"`,
    `{pid}#{num}: *{num} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {ip}, server: 0.0.0.0:443`,
    `{pid}#{num}: signal process started`,
    `{pid}#{num}: using the "epoll" event method`,
    `[proxy:error] [pid {pid}:tid {num}] (111)Connection refused: AH00957: http: attempt to connect to {ip}:{port} ({host}) failed`,
    `[core:error] [pid {pid}:tid {num}] [client {ip}:{port}] AH00126: Invalid URI in request GET {path} HTTP/1.1`,
    `[ssl:warn] [pid {pid}:tid {num}] AH01909: {host}:443:0 server certificate does NOT include an ID which matches the server name`,
    `[mpm_event:notice] [pid {pid}:tid {num}] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations`,
    `[authz_core:error] [pid {pid}:tid {num}] [client {ip}:{port}] AH01630: client denied by server configuration: {path}`,
  ],
};
