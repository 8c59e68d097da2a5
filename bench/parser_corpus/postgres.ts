/** Generated PostgreSQL server messages (after the `%m [%p] %q%u@%d` prefix). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** PostgreSQL server log messages. */
export const postgres: CorpusFamily = {
  name: "Postgres",
  describes: "PostgreSQL server log",
  templates: [
    `LOG:  connection received: host={ip} port={port}`,
    `LOG:  connection authorized: user={user} database={word} application_name=psql`,
    `LOG:  disconnection: session time: {num}:{num}:{num}.{num} user={user} database={word} host={ip} port={port}`,
    `LOG:  duration: {num}.{num} ms  statement: SELECT * FROM {table} WHERE id = {num}`,
    `LOG:  duration: {num}.{num} ms  execute <unnamed>: UPDATE {table} SET status = $1 WHERE id = $2`,
    `LOG:  checkpoint starting: time`,
    `LOG:  checkpoint complete: wrote {num} buffers ({num}.{num}%); 0 WAL file(s) added, {num} removed, {num} recycled; write={num}.{num} s, sync={num}.{num} s, total={num}.{num} s`,
    `LOG:  automatic vacuum of table "{word}.{table}": index scans: {num}`,
    `LOG:  automatic analyze of table "{word}.{table}"`,
    `ERROR:  duplicate key value violates unique constraint "{word}_pkey"`,
    `ERROR:  relation "{table}" does not exist at character {num}`,
    `ERROR:  canceling statement due to statement timeout`,
    `FATAL:  password authentication failed for user "{user}"`,
    `FATAL:  no pg_hba.conf entry for host "{ip}", user "{user}", database "{word}", SSL off`,
    `WARNING:  there is no transaction in progress`,
    `LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp{pid}.{num}", size {num}`,
  ],
};
