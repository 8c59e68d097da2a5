/**
 * Message templates and activities of the synthetic Windows CBS/CSI servicing log.
 *
 * A *template* renders one line's level, component and message; an *activity* is a realistic sequence of
 * templates (a session reading cached applicability, a package install, a scavenge, offline image servicing,
 * TrustedInstaller start-up and shut-down...). Activities are drawn with Zipf-like weights, which gives the
 * template frequencies the long tail that real servicing logs have.
 *
 * Three families:
 * - {@link NORMAL_TEMPLATES}: everyday traffic, including the benign warnings and failures that real CBS logs
 *   are full of (SQM upload failures, manifest attribute warnings...). Ground truth NORMAL.
 * - {@link BURST_TEMPLATES}: failures of a servicing operation; injected in bursts (ANOMALY). One of them,
 *   `csi.object_not_found`, also occurs alone in normal traffic, as it does on real machines.
 * - {@link NOVEL_TEMPLATES}: failures that never occur in normal traffic (store corruption, disk full, boot
 *   critical). Ground truth CRITICAL_ANOMALY.
 *
 * Written from knowledge of the CBS.log format; no Loghub data.
 *
 * @module
 */
import type { SeededRandom } from "./seeded_random.ts";
import { CLIENTS, csiLocalTime, HIVES, hresult, WindowsHostState } from "./windows_vocabulary.ts";

/** The components of the synthetic log (the `<Component>` column). */
export type WindowsComponent = "CBS" | "CSI" | "DPX" | "DISM";
/** The levels CBS.log prints (the `<Level>` column). */
export type WindowsLevel = "Info" | "Warning" | "Error";

/** What a template needs to render a line. */
export interface RenderContext {
  random: SeededRandom;
  host: WindowsHostState;
  /** The line's event time, ms since the epoch (UTC). */
  timeMs: number;
}

/** One message template. */
export interface WindowsTemplate {
  /** Stable key naming the template in label files, e.g. `cbs.applicability_read`. */
  key: string;
  component: WindowsComponent;
  level: WindowsLevel;
  /** Renders the message (the `<Content>` column). */
  render(ctx: RenderContext): string;
}

type Def = [
  key: string,
  component: WindowsComponent,
  level: WindowsLevel,
  render: (ctx: RenderContext) => string,
];

const csi = (c: RenderContext) => c.host.nextCsi();
const csiAt = (c: RenderContext) => `${c.host.nextCsi()}@${csiLocalTime(c.timeMs)}`;
const stack = (c: RenderContext) =>
  Array.from({ length: 6 }, () => `@0x${c.random.pick(["7fe", "7fef", "ff8"])}${c.random.hex(7)}`).join(" ");
const applicable = (c: RenderContext) => c.random.pick(["112", "112", "112", "80", "0", "64"]);
const current = (
  c: RenderContext,
  a: string,
) => (c.random.chance(0.8) ? a : c.random.pick(["0", "5", "80", "112"]));
const hivePath = (c: RenderContext, hive: string) =>
  `{${c.host.mountGuid}}GLOBALROOT/Device/HarddiskVolumeShadowCopy${c.host.shadowCopy}/Windows/System32/config/${hive}`;
const dpxPhases = [
  "Resume and Download Job",
  "Apply Deltas Provided In File",
  "Extract Files From Container",
];

const NORMAL_DEFS: Def[] = [
  ["cbs.loaded_stack", "CBS", "Info", (c) => {
    const v = c.host.stackVersion;
    return `Loaded Servicing Stack v${v} with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_${v}_none_${
      c.random.hex(16)
    }\\cbscore.dll`;
  }],
  [
    "csi.wcp_initialize",
    "CSI",
    "Info",
    (c) => `${csiAt(c)} WcpInitialize (wcp.dll version 0.0.0.6) called (stack ${stack(c)})`,
  ],
  ["cbs.ti_init_start", "CBS", "Info", () => "Starting TrustedInstaller initialization."],
  ["cbs.ti_init_end", "CBS", "Info", () => "Ending TrustedInstaller initialization."],
  ["cbs.ti_loop_start", "CBS", "Info", () => "Starting the TrustedInstaller main loop."],
  ["cbs.ti_started", "CBS", "Info", () => "TrustedInstaller service starts successfully."],
  ["cbs.sqm_init", "CBS", "Info", () => "SQM: Initializing online with Windows opt-in: False"],
  [
    "cbs.sqm_cleanup",
    "CBS",
    "Info",
    (c) => `SQM: Cleaning up report files older than ${c.random.pick([10, 10, 30])} days.`,
  ],
  ["cbs.sqm_request", "CBS", "Info", () => "SQM: Requesting upload of all unsent reports."],
  [
    "cbs.sqm_fail_pattern",
    "CBS",
    "Info",
    () =>
      `SQM: Failed to start upload with file pattern: C:\\Windows\\servicing\\sqm\\*_std.sqm, flags: 0x2 ${
        hresult("E_FAIL")
      }`,
  ],
  [
    "cbs.sqm_fail_std",
    "CBS",
    "Info",
    () => `SQM: Failed to start standard sample upload. ${hresult("E_FAIL")}`,
  ],
  [
    "cbs.sqm_queued",
    "CBS",
    "Info",
    (c) =>
      `SQM: Queued ${
        c.random.int(0, 3)
      } file(s) for upload with pattern: C:\\Windows\\servicing\\sqm\\*_all.sqm, flags: 0x6`,
  ],
  [
    "cbs.sqm_warn_upload",
    "CBS",
    "Info",
    () => `SQM: Warning: Failed to upload all unsent reports. ${hresult("E_FAIL")}`,
  ],
  [
    "cbs.no_startup",
    "CBS",
    "Info",
    () =>
      "No startup processing required, TrustedInstaller service was not set as autostart, or else a reboot is still pending.",
  ],
  [
    "cbs.nonstart_check",
    "CBS",
    "Info",
    () => "NonStart: Checking to ensure startup processing was not required.",
  ],
  ["cbs.nonstart_ok", "CBS", "Info", () => "NonStart: Success, startup processing not required as expected."],
  ["cbs.startup_thread_end", "CBS", "Info", () => "Startup processing thread terminated normally"],
  ["csi.store_initialized", "CSI", "Info", (c) => {
    const n = c.random.int(1_000_000, 9_999_999);
    return `${csi(c)} CSI Store ${n} (0x${n.toString(16).padStart(16, "0")}) initialized`;
  }],
  [
    "cbs.session_init",
    "CBS",
    "Info",
    (c) =>
      `Session: ${c.host.newSession(c.timeMs, c.random)} initialized by client ${c.random.pick(CLIENTS)}.`,
  ],
  ["cbs.applicability_read", "CBS", "Info", (c) => {
    const a = applicable(c);
    return `Read out cached package applicability for package: ${
      c.host.pickPackage(c.random)
    }, ApplicableState: ${a}, CurrentState:${current(c, a)}`;
  }],
  ["cbs.unrecognized_attr", "CBS", "Info", () => "Warning: Unrecognized packageExtended attribute."],
  [
    "cbs.expecting_attr",
    "CBS",
    "Info",
    () => `Expecting attribute name ${hresult("CBS_E_MANIFEST_INVALID_ITEM")}`,
  ],
  [
    "cbs.next_element",
    "CBS",
    "Info",
    () => `Failed to get next element ${hresult("CBS_E_MANIFEST_INVALID_ITEM")}`,
  ],
  [
    "cbs.open_package_failed",
    "CBS",
    "Info",
    () => `Failed to internally open package. ${hresult("CBS_E_INVALID_PACKAGE")}`,
  ],
  [
    "cbs.session_finalized",
    "CBS",
    "Info",
    (c) =>
      `Session: ${c.host.session} finalized. Reboot required: ${c.random.chance(0.2) ? "yes" : "no"} ${
        hresult("S_OK")
      }`,
  ],
  [
    "cbs.exec_start",
    "CBS",
    "Info",
    (c) =>
      `Exec: Processing started.  Client: WindowsUpdateAgent, Session(Stack): ${c.host.session}, Package: ${c.host.package}`,
  ],
  [
    "cbs.appl_detect",
    "CBS",
    "Info",
    (c) =>
      `Appl: detect Parent, Package: ${c.host.package}, Parent: Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~6.1.7601.17514, Disposition = Detect, VersionComp: EQ, ServiceComp: GE, BuildComp: GE, DistributionComp: GE, RevisionComp: GE, Exist: present`,
  ],
  [
    "cbs.appl_evaluate",
    "CBS",
    "Info",
    (c) =>
      `Appl: Evaluating package applicability for package ${c.host.package}, applicable state: ${
        applicable(c)
      }`,
  ],
  ["cbs.plan", "CBS", "Info", (c) => {
    const a = applicable(c);
    return `Plan: Package: ${c.host.package}, Applicability: ${a}, CurrentState:${
      c.random.pick(["0", "64"])
    }, TargetState:${a}`;
  }],
  [
    "cbs.exec_install",
    "CBS",
    "Info",
    (c) =>
      `Exec: Installing Package: ${c.host.package}, Update: ${WindowsHostState.kbOf(c.host.package)}-${
        c.random.int(1, 12)
      }, InstallDeployment: ${c.host.pickComponent(c.random)}`,
  ],
  [
    "cbs.exec_complete",
    "CBS",
    "Info",
    (c) =>
      `Exec: Processing complete.  Session: ${c.host.session}, Package: ${c.host.package} ${hresult("S_OK")}`,
  ],
  [
    "cbs.sqm_package_report",
    "CBS",
    "Info",
    (c) =>
      `SQM: Package change report for package: ${c.host.package}, initial state: Staged, intended state: Installed, final state: Installed, client id: WindowsUpdateAgent, result: 0x0`,
  ],
  ["cbs.reboot_marks_inc", "CBS", "Info", (c) => `Reboot mark refs incremented to: ${c.random.int(1, 3)}`],
  ["cbs.reboot_marks", "CBS", "Info", (c) => `Reboot mark refs: ${c.random.int(0, 3)}`],
  [
    "csi.resolve_pending",
    "CSI",
    "Info",
    (c) =>
      `${csi(c)} IAdvancedInstallerAwareStore_ResolvePendingTransactions (call ${
        c.random.int(1, 3)
      }) (flags = 00000004, progress = NULL, phase = 0, pdwDisposition = @0x${c.random.hex(6)}`,
  ],
  [
    "csi.creating_nt_tx",
    "CSI",
    "Info",
    (c) => `${csi(c)} Creating NT transaction (seq ${c.random.int(1, 9)}), objectname [6]"(null)"`,
  ],
  [
    "csi.created_nt_tx",
    "CSI",
    "Info",
    (c) =>
      `${csi(c)} Created NT transaction (seq ${c.random.int(1, 9)}) result 0x00000000, handle @0x${
        c.random.hex(3)
      }`,
  ],
  ["csi.perf_trace", "CSI", "Info", (c) => `${csiAt(c)} CSI perf trace:`],
  [
    "csi.commit_apply",
    "CSI",
    "Info",
    (c) =>
      `${
        csi(c)
      } ICSITransaction::Commit calling IStorePendingTransaction::Apply - coldpatching=FALSE applyflags=${
        c.random.pick([7, 7, 3])
      }`,
  ],
  ["csi.performing_ops", "CSI", "Info", (c) => {
    const n = c.random.int(1, 60);
    return `${csi(c)} Performing ${n} operations; ${c.random.int(1, n)} are not lock/unlock and follow:`;
  }],
  [
    "csi.install_op",
    "CSI",
    "Info",
    (c) =>
      `${csi(c)}  (${c.random.int(0, 40)}) Install (${c.random.int(1, 6)}): flags: 0 tlc: [${
        c.host.pickComponent(c.random)
      }]`,
  ],
  ["csi.tx_init", "CSI", "Info", (c) => {
    c.host.transaction = `0x${c.random.hex(6)}`;
    return `${
      csiAt(c)
    } CSI Transaction @${c.host.transaction} initialized for deployment engine {d16d444c-56d8-11d5-882d-0080c847b195} with flags 00000002 and client id [10]"TI6.0_0:0/"`;
  }],
  ["csi.tx_destroyed", "CSI", "Info", (c) => `${csiAt(c)} CSI Transaction @${c.host.transaction} destroyed`],
  ["csi.populate_begin", "CSI", "Info", (c) => `${csiAt(c)} PopulateComponentFamiliesKey - Begin`],
  ["csi.populate_end", "CSI", "Info", (c) => `${csiAt(c)} PopulateComponentFamiliesKey - End`],
  [
    "csi.direct_sil",
    "CSI",
    "Info",
    (c) => `${csi(c)} Direct SIL provider: Number of files opened: ${c.random.int(1, 4000)}.`,
  ],
  ["cbs.scavenge_start", "CBS", "Info", () => "Scavenge: Starts"],
  ["cbs.scavenge_begin", "CBS", "Info", () => "Scavenge: Begin CSI Store"],
  [
    "csi.coherency_skip",
    "CSI",
    "Info",
    (c) => `${csi(c)} Store coherency cookie matches last scavenge cookie, skipping scavenge.`,
  ],
  [
    "cbs.scavenge_done",
    "CBS",
    "Info",
    (c) => `Scavenge: Completed, disposition: 0X${c.random.pick([1, 1, 1, 0])}`,
  ],
  ["cbs.load_hive", "CBS", "Info", (c) => {
    const hive = c.random.pick(HIVES);
    return `Loading offline registry hive: ${hive}, into registry key '${
      hivePath(c, hive)
    }' from path '\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy${c.host.shadowCopy}\\Windows\\System32\\config\\${hive}'.`;
  }],
  ["cbs.offline_readonly", "CBS", "Info", () => "Offline image is: read-only"],
  [
    "cbs.disable_manifest_cache",
    "CBS",
    "Info",
    () => "Disabling manifest caching, because the image is not writeable.",
  ],
  [
    "cbs.unload_hive",
    "CBS",
    "Info",
    (c) => `Unloading offline registry hive: ${hivePath(c, c.random.pick(HIVES))}`,
  ],
  ["cbs.idle_thread_end", "CBS", "Info", () => "Idle processing thread terminated normally"],
  ["cbs.ti_loop_end", "CBS", "Info", () => "Ending the TrustedInstaller main loop."],
  ["cbs.ti_final_start", "CBS", "Info", () => "Starting TrustedInstaller finalization."],
  ["cbs.ti_final_end", "CBS", "Info", () => "Ending TrustedInstaller finalization."],
  [
    "cbs.backup_cab_failed",
    "CBS",
    "Info",
    () => `Failed to create backup log cab. ${hresult("ERROR_INVALID_FUNCTION")}`,
  ],
  ["cbs.persist_log", "CBS", "Info", (c) => {
    const d = new Date(c.timeMs).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    return `CbsPersist: Persisting log C:\\Windows\\Logs\\CBS\\CbsPersist_${d}.log, size ${
      c.random.int(1, 50)
    } MB`;
  }],
  ["dpx.phase_start", "DPX", "Info", (c) => `Started DPX phase: ${c.random.pick(dpxPhases)}`],
  ["dpx.phase_end", "DPX", "Info", (c) => `Ended DPX phase: ${c.random.pick(dpxPhases)}`],
  [
    "dism.provider_store",
    "DISM",
    "Info",
    (c) =>
      `DISM Provider Store: PID=${c.random.int(400, 9000)} TID=${c.random.int(400, 9000)} Getting Provider ${
        c.random.pick(["CBS", "DISM Package Manager", "MsiManager", "IntlManager", "Edition Manager"])
      } - CDISMProviderStore::GetProvider`,
  ],
  [
    "dism.cbs_session",
    "DISM",
    "Info",
    (c) =>
      `DISM Package Manager: PID=${c.random.int(400, 9000)} TID=${
        c.random.int(400, 9000)
      } Processing the top level command token(${
        c.random.pick(["add-package", "get-packages", "cleanup-image", "get-features"])
      }). - CPackageManagerCLIHandler::Private_ValidateCmdLine`,
  ],
];

const BURST_DEFS: Def[] = [
  [
    "csi.object_not_found",
    "CSI",
    "Error",
    (c) =>
      `${csi(c)} (F) STATUS_OBJECT_NAME_NOT_FOUND #${
        c.random.int(100_000, 9_999_999)
      }# from Windows::Rtl::SystemImplementation::DirectFileSystemProvider::SysCreateFile(flags = (AllowSharingViolation), da = (SYNCHRONIZE|FILE_READ_ATTRIBUTES), oa = @0x${
        c.random.hex(7)
      }->OBJECT_ATTRIBUTES {s:48; rd:NULL; on:"\\??\\C:\\Windows\\winsxs\\${
        c.host.pickComponent(c.random)
      }"; a:(OBJ_CASE_INSENSITIVE)}, disp = Invalid)[gle=0xd0000034]`,
  ],
  [
    "cbs.err_source_missing",
    "CBS",
    "Error",
    (c) =>
      `Failed to resolve package '${c.host.package}' from source: C:\\Windows\\SoftwareDistribution\\Download\\${
        c.random.hex(32)
      } ${hresult("CBS_E_SOURCE_MISSING")}`,
  ],
  [
    "cbs.err_exec_failed",
    "CBS",
    "Error",
    (c) =>
      `Failed to execute package: ${c.host.package}, session: ${c.host.session} ${
        hresult("CBS_E_INSTALLERS_FAILED")
      }`,
  ],
  [
    "cbs.err_download",
    "CBS",
    "Error",
    (c) =>
      `Failed to download payload for package ${c.host.package}, retry ${c.random.int(1, 5)} of 5 ${
        hresult("WU_E_DOWNLOAD_FAILED")
      }`,
  ],
  [
    "cbs.err_access_denied",
    "CBS",
    "Error",
    (c) =>
      `Failed to open file: C:\\Windows\\servicing\\Packages\\${c.host.package.replace(/~/g, "~")}.mum ${
        hresult("E_ACCESSDENIED")
      }`,
  ],
  [
    "cbs.err_sharing",
    "CBS",
    "Error",
    (c) =>
      `Failed to move file C:\\Windows\\winsxs\\Temp\\PendingRenames\\${c.random.hex(16)}_${
        c.random.pick(["ntdll.dll", "kernel32.dll", "mshtml.dll", "tcpip.sys"])
      } to its destination ${hresult("ERROR_SHARING_VIOLATION")}`,
  ],
  [
    "cbs.err_timeout",
    "CBS",
    "Error",
    (c) =>
      `Failed waiting for TrustedInstaller worker to respond, session: ${c.host.session} ${
        hresult("ERROR_TIMEOUT")
      }`,
  ],
];

const NOVEL_DEFS: Def[] = [
  [
    "cbs.crit_store_corrupt",
    "CBS",
    "Error",
    (c) =>
      `Corruption detected in component store: manifest hash mismatch for ${c.host.pickComponent(c.random)} ${
        hresult("ERROR_SXS_COMPONENT_STORE_CORRUPT")
      }`,
  ],
  [
    "csi.crit_hash_mismatch",
    "CSI",
    "Error",
    (c) =>
      `${csi(c)} (F) Hashes for file member \\SystemRoot\\WinSxS\\${c.host.pickComponent(c.random)}\\${
        c.random.pick(["ntoskrnl.exe", "winload.exe", "hal.dll", "ci.dll"])
      } do not match actual file: Found: {l:32 b:${c.random.hex(43)}=} Expected: {l:32 b:${
        c.random.hex(43)
      }=}`,
  ],
  [
    "cbs.crit_disk_full",
    "CBS",
    "Error",
    (c) =>
      `Failed to commit transaction, rolling back ${
        c.random.int(2, 900)
      } operations: not enough space on the system volume ${hresult("ERROR_DISK_FULL")}`,
  ],
  [
    "cbs.crit_ti_crash",
    "CBS",
    "Error",
    (c) =>
      `TrustedInstaller terminated unexpectedly with exception 0x${
        c.random.pick(["c0000005", "c0000409", "c00000fd"])
      } at cbscore.dll+0x${c.random.hex(5)}`,
  ],
  [
    "cbs.crit_boot_pending",
    "CBS",
    "Error",
    () =>
      `Startup: Failed to process boot-critical pending operations, the system may not start ${
        hresult("CBS_E_SOURCE_MISSING")
      }`,
  ],
  [
    "cbs.crit_registry_corrupt",
    "CBS",
    "Error",
    (c) =>
      `Failed to write registry value HKLM\\COMPONENTS\\DerivedData\\Components\\${c.random.hex(40)} ${
        hresult("ERROR_REGISTRY_CORRUPT")
      }`,
  ],
  [
    "cbs.crit_signature",
    "CBS",
    "Error",
    (c) =>
      `Unable to load the servicing stack: signature verification of ${
        c.random.pick(["cbscore.dll", "wcp.dll", "wdscore.dll"])
      } failed ${hresult("TRUST_E_NOSIGNATURE")}`,
  ],
  [
    "csi.crit_store_integrity",
    "CSI",
    "Error",
    (c) =>
      `${csi(c)} Store integrity check failed: ${c.random.int(2, 300)} corrupted payload files, ${
        c.random.int(1, 40)
      } orphaned components`,
  ],
];

function build(defs: Def[]): Record<string, WindowsTemplate> {
  const out: Record<string, WindowsTemplate> = {};
  for (const [key, component, level, render] of defs) out[key] = { key, component, level, render };
  return out;
}

/** Everyday templates (ground truth NORMAL). */
export const NORMAL_TEMPLATES: Readonly<Record<string, WindowsTemplate>> = build(NORMAL_DEFS);
/** Failure templates injected in error bursts (ANOMALY). */
export const BURST_TEMPLATES: Readonly<Record<string, WindowsTemplate>> = build(BURST_DEFS);
/** Failure templates that never occur in normal traffic (CRITICAL_ANOMALY). */
export const NOVEL_TEMPLATES: Readonly<Record<string, WindowsTemplate>> = build(NOVEL_DEFS);

/** A realistic sequence of normal template keys. */
export interface WindowsActivity {
  name: string;
  /** Returns the template keys of one occurrence. */
  steps(random: SeededRandom): string[];
}

const repeat = (key: string, n: number) => Array.from({ length: n }, () => key);
const manifestWarning = ["cbs.unrecognized_attr", "cbs.expecting_attr", "cbs.next_element"];

/** Activities, most frequent first; {@link ACTIVITY_WEIGHTS} gives their Zipf-like weights. */
export const ACTIVITIES: readonly WindowsActivity[] = [
  {
    name: "applicability_scan",
    steps: (r) => [
      "cbs.session_init",
      ...repeat("cbs.applicability_read", r.int(2, 30)),
      ...(r.chance(0.3) ? manifestWarning : []),
    ],
  },
  { name: "manifest_warning", steps: () => [...manifestWarning] },
  {
    name: "csi_transaction",
    steps: (r) => [
      "csi.creating_nt_tx",
      "csi.created_nt_tx",
      "csi.commit_apply",
      "csi.performing_ops",
      ...repeat("csi.install_op", r.int(1, 6)),
      "csi.perf_trace",
      ...(r.chance(0.5) ? ["csi.direct_sil"] : []),
    ],
  },
  { name: "open_package_failed", steps: () => ["cbs.session_init", "cbs.open_package_failed"] },
  {
    name: "package_install",
    steps: (r) => [
      "cbs.session_init",
      "cbs.exec_start",
      ...repeat("cbs.appl_detect", r.int(1, 4)),
      "cbs.appl_evaluate",
      "cbs.plan",
      "dpx.phase_start",
      "dpx.phase_end",
      "cbs.exec_install",
      "csi.tx_init",
      "csi.commit_apply",
      "csi.performing_ops",
      ...repeat("csi.install_op", r.int(1, 5)),
      "csi.tx_destroyed",
      "cbs.exec_complete",
      "cbs.sqm_package_report",
      ...(r.chance(0.3) ? ["cbs.reboot_marks_inc"] : []),
      "cbs.session_finalized",
    ],
  },
  {
    name: "reboot_marks",
    steps: (r) => (r.chance(0.5) ? ["cbs.reboot_marks_inc", "cbs.reboot_marks"] : ["cbs.reboot_marks"]),
  },
  { name: "populate_families", steps: () => ["csi.populate_begin", "csi.direct_sil", "csi.populate_end"] },
  {
    name: "scavenge",
    steps: () => [
      "cbs.scavenge_start",
      "csi.tx_init",
      "cbs.scavenge_begin",
      "csi.performing_ops",
      "csi.coherency_skip",
      "cbs.scavenge_done",
      "csi.tx_destroyed",
    ],
  },
  { name: "dism_query", steps: (r) => [...repeat("dism.provider_store", r.int(1, 4)), "dism.cbs_session"] },
  { name: "benign_object_not_found", steps: () => ["csi.object_not_found"] },
  {
    name: "offline_image",
    steps: (r) => [
      ...repeat("cbs.load_hive", r.int(3, 6)),
      "cbs.offline_readonly",
      "cbs.disable_manifest_cache",
      "cbs.session_init",
      ...repeat("cbs.applicability_read", r.int(1, 8)),
      ...repeat("cbs.unload_hive", r.int(3, 6)),
    ],
  },
  {
    name: "startup",
    steps: (r) => [
      "cbs.loaded_stack",
      ...repeat("csi.wcp_initialize", 3),
      "cbs.ti_init_start",
      "cbs.ti_init_end",
      "cbs.ti_loop_start",
      "cbs.ti_started",
      "cbs.sqm_init",
      "cbs.sqm_cleanup",
      "cbs.sqm_request",
      "cbs.sqm_fail_pattern",
      "cbs.sqm_fail_std",
      "cbs.sqm_queued",
      "cbs.sqm_warn_upload",
      ...(r.chance(0.7)
        ? ["cbs.no_startup", "cbs.nonstart_check", "csi.resolve_pending", "cbs.nonstart_ok"]
        : ["cbs.nonstart_check", "csi.resolve_pending", "cbs.nonstart_ok"]),
      "cbs.startup_thread_end",
      "csi.store_initialized",
    ],
  },
  {
    name: "shutdown",
    steps: (r) => [
      "cbs.idle_thread_end",
      "cbs.ti_loop_end",
      "cbs.ti_final_start",
      ...(r.chance(0.5) ? ["cbs.backup_cab_failed"] : ["cbs.persist_log"]),
      "cbs.ti_final_end",
    ],
  },
];

/** Zipf-like weights of {@link ACTIVITIES} (rank^-1.2). */
export const ACTIVITY_WEIGHTS: readonly number[] = ACTIVITIES.map((_, i) => 1 / Math.pow(i + 1, 1.2));

/** Looks a template up in any family. */
export function templateByKey(key: string): WindowsTemplate {
  const t = NORMAL_TEMPLATES[key] ?? BURST_TEMPLATES[key] ?? NOVEL_TEMPLATES[key];
  if (!t) throw new RangeError(`Cannot find Windows template ${JSON.stringify(key)}`);
  return t;
}
