/**
 * The generated validation corpus of issue 15: every family, in report order, with the seed each is generated
 * with (2,000 lines per system, like the Loghub 2k samples).
 * @module
 */
import type { CorpusFamily } from "./corpus_template.ts";
import { webAccess } from "./web_access.ts";
import { webError } from "./web_error.ts";
import { syslogDaemons } from "./syslog_daemons.ts";
import { journaldUnits } from "./journald_units.ts";
import { kubernetes } from "./kubernetes.ts";
import { postgres } from "./postgres.ts";
import { javaService } from "./java_service.ts";
import { jsonLines } from "./json_lines.ts";
import { firewallVpn } from "./firewall_vpn.ts";
import { windowsEventLog } from "./windows_eventlog.ts";

/** All generated families. */
export const CORPUS_FAMILIES: readonly CorpusFamily[] = [
  webAccess,
  webError,
  syslogDaemons,
  journaldUnits,
  kubernetes,
  postgres,
  javaService,
  jsonLines,
  firewallVpn,
  windowsEventLog,
];

/** Seed of the corpus (each family adds its index). */
export const CORPUS_SEED = 15;
