/** Generated journald/systemd unit messages. @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** systemd manager and unit messages as journalctl shows them. */
export const journaldUnits: CorpusFamily = {
  name: "Journald",
  describes: "journald: systemd manager and units",
  templates: [
    `Started {word}-worker@{num}.service - {word} worker instance {num}.`,
    `Stopping {word}.service - {word} API server...`,
    `{word}.service: Deactivated successfully.`,
    `{word}.service: Consumed {dur} CPU time, {size} memory peak.`,
    `{word}.service: Main process exited, code=exited, status={num}/FAILURE`,
    `{word}.service: Failed with result 'exit-code'.`,
    `{word}.service: Scheduled restart job, restart counter is at {num}.`,
    `Started session-{num}.scope - Session {num} of User {user}.`,
    `Reached target timers.target - Timer Units.`,
    `Starting logrotate.service - Rotate log files...`,
    `Finished logrotate.service - Rotate log files.`,
    `systemd-journald.service: Journal file {path}/system@{hex}-{hex}.journal~ is truncated, ignoring file.`,
    `Received SIGHUP from PID {pid} (kill).`,
    `docker-{container}.scope: Succeeded.`,
    `Mounted {path} - Temporary Directory {path}.`,
  ],
};
