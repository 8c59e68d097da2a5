/**
 * The template language of the generated parser validation corpus (issue 15): a family of log lines is a list of
 * template texts whose `{kind}` placeholders are filled with realistic variable values. The ground-truth
 * template of a line is its text with every placeholder as `<*>`, so truth is known by construction and no
 * Loghub system beyond the 8 shared ones is needed.
 * @module
 */
import { SeededRandom, WeightedPicker, zipfWeights } from "../../lib/producer/seeded_random.ts";

/** One generated log format: a name (used as the system name in reports) and its templates. */
export interface CorpusFamily {
  /** System name in reports and file names, e.g. `NginxAccess`. */
  name: string;
  /** What the lines imitate, for the report. */
  describes: string;
  /** Template texts with `{kind}` placeholders (see {@link VARIABLE_KINDS}). */
  templates: readonly string[];
}

/** Lines of one generated system with their ground truth, index-aligned. */
export interface GeneratedSystem {
  name: string;
  contents: string[];
  /** Ground-truth template id per line (`E<n>`, n = index in the family's templates). */
  eventIds: string[];
  /** Ground-truth template text per line (placeholders as `<*>`). */
  templates: string[];
}

const USERS = [
  "alice",
  "bob",
  "deploy",
  "postgres",
  "www-data",
  "jenkins",
  "admin",
  "ubuntu",
  "svc_backup",
  "carol",
];
const WORDS = [
  "orders",
  "billing",
  "catalog",
  "auth",
  "search",
  "inventory",
  "payments",
  "gateway",
  "ledger",
];
const TLDS = ["internal", "example.com", "corp.local", "svc.cluster.local"];
const UNITS = ["ms", "s", "us"];
const SIZES = ["B", "KB", "MB", "KiB", "MiB", "GiB"];
const DIRS = [
  "var",
  "srv",
  "opt",
  "data",
  "home",
  "etc",
  "usr",
  "tmp",
  "api",
  "v1",
  "static",
  "img",
  "users",
];
const EXTS = [".log", ".json", ".conf", ".png", ".js", ".css", ".html", ".gz", ""];

/** How each placeholder kind draws a value. */
export const VARIABLE_KINDS: Readonly<Record<string, (r: SeededRandom) => string>> = {
  ip: (r) => `${r.int(1, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  ip6: (r) => `2001:db8:${r.hex(4)}::${r.hex(3)}`,
  port: (r) => String(r.chance(0.3) ? r.pick([80, 443, 5432, 8080, 9092, 6443]) : r.int(1024, 65535)),
  num: (r) => String(r.chance(0.5) ? r.int(0, 99) : r.int(100, 999_999)),
  // a fraction and a four-part version are one number each (drawn as `0.{num}` and `10.0.{num}.{num}` were, so
  // the lines are the same; only the truth reads them as one value)
  ratio: (r) => "0." + String(r.chance(0.5) ? r.int(0, 99) : r.int(100, 999_999)),
  winver: (r) => {
    const a = String(r.chance(0.5) ? r.int(0, 99) : r.int(100, 999_999));
    return `10.0.${a}.${String(r.chance(0.5) ? r.int(0, 99) : r.int(100, 999_999))}`;
  },
  pid: (r) => String(r.int(300, 65_000)),
  hex: (r) => r.hex(r.pick([8, 12, 16])),
  // a hex number with its `0x` is one value (as in Loghub's truths and Drain3's example masks), not `0x` + a value
  hexnum: (r) => "0x" + r.hex(r.pick([8, 12, 16])),
  uuid: (r) => r.guid(),
  dur: (r) => `${r.chance(0.5) ? r.int(0, 999) : (r.next() * 100).toFixed(3)}${r.pick(UNITS)}`,
  size: (r) => `${r.int(1, 4096)}${r.pick(SIZES)}`,
  user: (r) => r.pick(USERS),
  word: (r) => r.pick(WORDS),
  host: (r) =>
    `${r.pick(WORDS)}-${r.int(0, 40)}.${r.pick(["eu-west-1", "us-east-2", "dc1", "prod"])}.${r.pick(TLDS)}`,
  path: (r) => {
    const depth = r.int(1, 4);
    let p = "";
    for (let i = 0; i < depth; i++) p += "/" + (r.chance(0.3) ? r.hex(6) : r.pick(DIRS));
    return p + (r.chance(0.5) ? `/${r.pick(WORDS)}${r.pick(EXTS)}` : "");
  },
  winpath: (r) =>
    `C:\\${r.pick(["Windows", "ProgramData", "Users"])}\\${r.pick(WORDS)}\\${r.hex(4)}.${
      r.pick(["dll", "exe", "log"])
    }`,
  pod: (r) => `${r.pick(WORDS)}-${r.hex(9)}-${r.hex(5)}`,
  container: (r) => r.hex(12),
  ts: (r) =>
    `2026-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}T${
      String(r.int(0, 23)).padStart(2, "0")
    }:${String(r.int(0, 59)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}.${r.int(100, 999)}Z`,
  // HAProxy's accept date: one timestamp (its month and year are no constants of the event)
  hapts: (r) =>
    `${String(r.int(1, 28)).padStart(2, "0")}/${r.pick(["Nov", "Dec"])}/2026:${
      String(r.int(0, 23)).padStart(2, "0")
    }:${String(r.int(0, 59)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")}.${r.int(100, 999)}`,
  sid: (r) => `S-1-5-21-${r.int(1e8, 4e9)}-${r.int(1e8, 4e9)}-${r.int(1000, 9999)}`,
  clf: (r) =>
    `${String(r.int(1, 28)).padStart(2, "0")}/${r.pick(["Nov", "Dec"])}/2026:${
      String(r.int(0, 23)).padStart(2, "0")
    }:${String(r.int(0, 59)).padStart(2, "0")}:${String(r.int(0, 59)).padStart(2, "0")} +0000`,
  winsvc: (r) => r.pick(["Spooler", "BITS", "wuauserv", "WinRM", "Dnscache", "W32Time"]),
  state: (r) => r.pick(["running", "stopped"]),
  method: (r) => r.pick(["GET", "POST", "PUT", "DELETE", "PATCH"]),
  status: (r) => String(r.pick([200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 502, 503])),
  table: (r) =>
    `${r.pick(["public", "app", "audit"])}.${r.pick(WORDS)}_${r.pick(["items", "events", "users"])}`,
  ua: (r) =>
    r.pick(["curl/8.4.0", "Mozilla/5.0", "kube-probe/1.29", "Go-http-client/1.1", "python-requests/2.31.0"]),
};

const PLACEHOLDER = /\{([a-z0-9]+)\}/g;

/** The ground-truth template of a template text: every placeholder as `<*>`. */
export function truthTemplate(text: string): string {
  return text.replace(PLACEHOLDER, "<*>");
}

/**
 * Generates `lines` lines of a family: templates drawn with Zipf weights over a seeded random ranking (some
 * templates frequent, some rare, as in real logs), each placeholder filled by its kind.
 * @throws {RangeError} on an unknown placeholder kind.
 */
export function generateSystem(family: CorpusFamily, seed: number, lines = 2000): GeneratedSystem {
  const r = new SeededRandom(seed);
  const order = family.templates.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picker = new WeightedPicker(zipfWeights(order.length, 0.9));
  const out: GeneratedSystem = { name: family.name, contents: [], eventIds: [], templates: [] };
  for (let n = 0; n < lines; n++) {
    const t = order[picker.pick(r)];
    const text = family.templates[t].replace(PLACEHOLDER, (_, kind: string) => {
      const draw = VARIABLE_KINDS[kind];
      if (draw === undefined) {
        throw new RangeError(`Cannot generate ${family.name} as placeholder {${kind}} is not a known kind`);
      }
      return draw(r);
    });
    out.contents.push(text);
    out.eventIds.push(`E${t + 1}`);
    out.templates.push(truthTemplate(family.templates[t]));
  }
  return out;
}
