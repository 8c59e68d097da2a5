/**
 * The variable parts of synthetic Windows CBS/CSI servicing logs: package identities, KB numbers, WinSxS
 * component names, HRESULTs, registry hives, session ids — and the per-host state that makes them consistent
 * across lines (a session id is reused by the lines of its session, the CSI sequence counter increases, the
 * same packages recur with Zipf-like popularity).
 *
 * Written from knowledge of the CBS.log format of Windows 7 / Server 2008 R2 servicing; no Loghub data.
 *
 * @module
 */
import { SeededRandom, WeightedPicker, zipfWeights } from "./seeded_random.ts";

/** HRESULTs that servicing logs print, with their symbolic names. */
export const HRESULTS = {
  S_OK: "0x00000000",
  E_FAIL: "0x80004005",
  E_ACCESSDENIED: "0x80070005",
  E_OUTOFMEMORY: "0x8007000e",
  ERROR_INVALID_FUNCTION: "0x80070001",
  ERROR_FILE_NOT_FOUND: "0x80070002",
  ERROR_SHARING_VIOLATION: "0x80070020",
  ERROR_DISK_FULL: "0x80070070",
  ERROR_NOT_FOUND: "0x80070490",
  ERROR_TIMEOUT: "0x800705b4",
  ERROR_REGISTRY_CORRUPT: "0x800703f7",
  ERROR_FILE_CORRUPT: "0x80070570",
  ERROR_SXS_COMPONENT_STORE_CORRUPT: "0x80073712",
  ERROR_SXS_ASSEMBLY_MISSING: "0x80073701",
  CBS_E_MANIFEST_INVALID_ITEM: "0x800f080d",
  CBS_E_INVALID_PACKAGE: "0x800f0805",
  CBS_E_SOURCE_MISSING: "0x800f081f",
  CBS_E_INSTALLERS_FAILED: "0x800f0922",
  CBS_E_XML_PARSER_FAILURE: "0x800f0900",
  CBS_E_NOT_APPLICABLE: "0x800f081e",
  TRUST_E_NOSIGNATURE: "0x800b0100",
  WU_E_DOWNLOAD_FAILED: "0x80246008",
} as const;

/** A symbolic HRESULT name. */
export type HresultName = keyof typeof HRESULTS;

/** Formats `[HRESULT = 0x... - NAME]` as CBS prints it. */
export function hresult(name: HresultName): string {
  return `[HRESULT = ${HRESULTS[name]} - ${name}]`;
}

/** Feature names used to build package and component identities. */
const FEATURES = [
  "servicingstack",
  "ie-troubleshooters",
  "shell32",
  "kernel32",
  "ntoskrnl",
  "win32k",
  "tcpip",
  "rpc-local",
  "wininet",
  "mshtml",
  "crypt32",
  "schannel",
  "lsa",
  "smbserver",
  "bits-client",
  "netfx35",
  "gdi32",
  "usbport",
  "printing-spooler",
  "taskscheduler",
  "wmi-core",
  "powershell-exe",
  "explorer",
  "directwrite",
  "msxml30",
  "ole-automation",
  "security-kerberos",
  "dns-client",
  "winhttp",
  "media-format",
];
const ARCHES = ["amd64", "amd64", "amd64", "x86", "wow64", "msil"];
const PUBLIC_KEY = "31bf3856ad364e35";

/** Registry hives CBS loads when servicing an offline image. */
export const HIVES = ["SOFTWARE", "SYSTEM", "SECURITY", "SAM", "COMPONENTS", "DEFAULT", "ECI"];
/** Clients that open CBS sessions, most frequent first. */
export const CLIENTS = [
  "WindowsUpdateAgent",
  "WindowsUpdateAgent",
  "WindowsUpdateAgent",
  "SPP",
  "DISM Package Manager Provider",
  "CbsTask",
  "Pkgmgr",
];

/** Per-host state of the synthetic servicing stack, seeded. */
export class WindowsHostState {
  /** Servicing stack version, e.g. `6.1.7601.23505`. */
  readonly stackVersion: string;
  /** Package identities, most popular first. */
  readonly packages: readonly string[];
  /** WinSxS component directory names, most popular first. */
  readonly components: readonly string[];
  /** The volume shadow copy index used for offline servicing. */
  readonly shadowCopy: number;
  /** A GUID used as registry mount prefix. */
  readonly mountGuid: string;
  /** CSI's per-process sequence counter (printed as 8 hex digits). */
  csiCounter = 0;
  /** The current CSI transaction pointer. */
  transaction = "0x47e9e0";
  /** The current CBS session id (`<high>_<low>` of a FILETIME). */
  session = "";
  /** The package the current session works on. */
  package = "";
  readonly #packagePicker: WeightedPicker;
  readonly #componentPicker: WeightedPicker;

  /**
   * @param random the seeded generator that decides this host's inventory
   */
  constructor(random: SeededRandom) {
    this.stackVersion = `6.1.7601.${random.int(17514, 24000)}`;
    const kbs = new Set<number>();
    while (kbs.size < 240) kbs.add(random.int(2_400_000, 4_600_000));
    const packages = [...kbs].map((kb) => {
      const minor = random.pick(["1.1", "1.2", "1.3", "1.5", "2.1"]);
      const name = random.chance(0.85) ? `Package_for_KB${kb}` : `Package_${random.int(1, 99)}_for_KB${kb}`;
      return `${name}~${PUBLIC_KEY}~${random.pick(ARCHES.slice(0, 4))}~~6.1.${minor}`;
    });
    packages.splice(
      3,
      0,
      `Package_for_RollupFix~${PUBLIC_KEY}~amd64~~7601.${this.stackVersion.split(".")[3]}.1.7`,
    );
    packages.splice(9, 0, `Microsoft-Windows-IE-Troubleshooters-Package~${PUBLIC_KEY}~amd64~~6.1.7601.17514`);
    this.packages = packages;
    this.components = Array.from({ length: 160 }, () => {
      const arch = random.pick(ARCHES);
      const feature = random.pick(FEATURES);
      const ver = `6.1.7601.${random.int(17514, 24000)}`;
      const culture = random.chance(0.9) ? "none" : random.pick(["en-us", "de-de", "fr-fr", "ja-jp"]);
      return `${arch}_microsoft-windows-${feature}_${PUBLIC_KEY}_${ver}_${culture}_${random.hex(16)}`;
    });
    this.shadowCopy = random.int(1, 9);
    this.mountGuid = random.guid();
    this.#packagePicker = new WeightedPicker(zipfWeights(this.packages.length, 1.05));
    this.#componentPicker = new WeightedPicker(zipfWeights(this.components.length, 0.9));
    this.package = this.packages[0];
  }

  /** Picks a package identity with Zipf-like popularity. */
  pickPackage(random: SeededRandom): string {
    return this.packages[this.#packagePicker.pick(random)];
  }

  /** Picks a WinSxS component directory name with Zipf-like popularity. */
  pickComponent(random: SeededRandom): string {
    return this.components[this.#componentPicker.pick(random)];
  }

  /** Returns the KB number of a package identity, or `KB0` when it has none. */
  static kbOf(pkg: string): string {
    return /KB\d+/.exec(pkg)?.[0] ?? "KB0";
  }

  /** Starts a new CBS session whose id encodes `timeMs` as a FILETIME, as CBS does. */
  newSession(timeMs: number, random: SeededRandom): string {
    // FILETIME: 100-ns ticks since 1601-01-01; CBS prints the high and low DWORDs.
    const ticks = (BigInt(Math.floor(timeMs)) + 11_644_473_600_000n) * 10_000n + BigInt(random.int(0, 9999));
    this.session = `${ticks >> 32n}_${ticks & 0xffffffffn}`;
    this.package = this.pickPackage(random);
    return this.session;
  }

  /** Returns the next CSI sequence number as 8 hex digits. */
  nextCsi(): string {
    this.csiCounter = (this.csiCounter + 1) >>> 0;
    return this.csiCounter.toString(16).padStart(8, "0");
  }
}

/**
 * Formats a time as CSI prints its local timestamp after `@`: `2016/9/27:20:30:31.455` (no zero padding of
 * month/day/hour, the host's local zone — here UTC-8).
 */
export function csiLocalTime(timeMs: number): string {
  const d = new Date(timeMs - 8 * 3600_000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}:${p2(d.getUTCHours())}:${
    p2(d.getUTCMinutes())
  }:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
}
