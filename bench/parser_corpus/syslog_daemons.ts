/** Generated syslog messages of sshd, sudo and cron (after the syslog header). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** sshd, sudo and cron syslog messages. */
export const syslogDaemons: CorpusFamily = {
  name: "SyslogDaemons",
  describes: "syslog: sshd, sudo, cron, systemd-logind",
  templates: [
    `Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:{hex}`,
    `Accepted password for {user} from {ip} port {port} ssh2`,
    `Failed password for invalid user {user} from {ip} port {port} ssh2`,
    `Failed password for {user} from {ip} port {port} ssh2`,
    `Disconnected from authenticating user {user} {ip} port {port} [preauth]`,
    `Connection closed by {ip} port {port} [preauth]`,
    `pam_unix(sshd:session): session opened for user {user}(uid={num}) by (uid=0)`,
    `pam_unix(sshd:session): session closed for user {user}`,
    `Received disconnect from {ip} port {port}:11: disconnected by user`,
    `{user} : TTY=pts/{num} ; PWD={path} ; USER=root ; COMMAND={path}`,
    `pam_unix(sudo:session): session opened for user root(uid=0) by {user}(uid={num})`,
    `pam_unix(sudo:auth): authentication failure; logname={user} uid={num} euid=0 tty=/dev/pts/{num} ruser={user} rhost=  user={user}`,
    `({user}) CMD (cd / && run-parts --report /etc/cron.hourly)`,
    `({user}) CMD ({path} --quiet > /dev/null 2>&1)`,
    `pam_unix(cron:session): session opened for user {user}(uid={num}) by (uid=0)`,
    `New session {num} of user {user}.`,
    `Removed session {num}.`,
  ],
};
