/**
 * Incident detection through the real pipeline (producer → Kafka → engine processes → OpenSearch), for issue 11's
 * "detector state survives restarts and works with several engine processes in one consumer group".
 *
 * The input is generated here: ordinary synthetic Windows servicing traffic of one host with, at a known line, a
 * burst of {@link BURST} lines of a page-worthy failure ("No space left on device"). Checked:
 * - one engine: the burst is exactly one severity incident (CRITICAL_ANOMALY, every burst line in it), every burst
 *   event in the events index carries its id, and `deno task incidents` on the same file gives the same id and
 *   count;
 * - a kill -9 before any offset was committed, then the whole topic read again by the same engine (same group,
 *   same data dir) and by a fresh one (fresh group, fresh data dir): still one incident document, same id;
 * - two engines of one consumer group (different data dirs) over two partitions: one incident, the CLI's id;
 * - a restart in the middle of the burst (offsets committed up to it): a graceful restart with the same data dir,
 *   a kill -9 after the commit, and a hand-over of the partitions to another engine of the group — the rest of
 *   the burst continues the same incident (one document, every burst line counted once).
 */
import assert from "node:assert/strict";
import { runIncidents } from "../../cli/incidents.ts";
import { parseConfig, type VigilConfig } from "../../lib/config/vigil_config.ts";
import type { Incident } from "../../lib/incidents/incident.ts";
import type { OfflineIncident } from "../../lib/incidents/offline_incidents.ts";
import { runProducer } from "../../lib/producer/produce_run.ts";
import { formatWindowsLine, SyntheticWindowsSource } from "../../lib/producer/synthetic_windows.ts";
import { committedOffsets, dropTopic, freshTopic } from "../../testing/kafka_test_topics.ts";
import { namespaceSettings, testNamespace } from "../../testing/test_namespace.ts";
import { dropTiers, engineEnv, EngineProcess, hotCount, hotEvents } from "../../testing/engine_process.ts";
import { until } from "../../testing/until.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
/** Ordinary lines of the burst host's log. */
const ORDINARY = 3000;
/** The burst's first line (1-based) and its length. */
const BURST_AT = 2000;
const BURST = 30;
/** Lines of the burst host's log. */
const N = ORDINARY + BURST;
const BURST_LINES = Array.from({ length: BURST }, (_, i) => BURST_AT + i);
const BURST_HOST = "win-burst";

/** Ordinary synthetic Windows lines (no injected anomaly), and the page-worthy burst before line `burstAt`. */
function logLines(seed: number, ordinary: number, burstAt?: number): string[] {
  const source = new SyntheticWindowsSource({ seed, anomalies: false });
  const lines: string[] = [];
  let timeMs = 0;
  for (let i = 1; i <= ordinary; i++) {
    if (i === burstAt) {
      for (let k = 0; k < BURST; k++) {
        const pkg = `Package_for_KB${3004394 + k}~31bf3856ad364e35~amd64~~6.1.1.${k}`;
        lines.push(formatWindowsLine(
          timeMs,
          "Error",
          "CBS",
          `Failed to commit package ${pkg}: No space left on device [HRESULT = 0x80070070 - ERROR_DISK_FULL]`,
        ));
      }
    }
    const line = source.next();
    timeMs = line.timeMs;
    lines.push(line.line);
  }
  return lines;
}

/** The generated inputs, in a temp dir. */
interface Inputs {
  dir: string;
  /** The burst host's log. */
  burstLog: string;
  /** Another host's ordinary log (so the keys of a group's topic spread over its partitions). */
  otherLog: string;
  /** `deno task incidents` on the burst host's log: the incident holding the burst. */
  cli: OfflineIncident;
}

let inputs: Promise<Inputs> | undefined;

/** Writes the inputs once and runs the incidents CLI on the burst host's log. */
function prepareInputs(): Promise<Inputs> {
  return inputs ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "vigil-incidents-e2e-" });
    globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
    const burstLog = `${dir}/burst.log`;
    const lines = logLines(11, ORDINARY, BURST_AT);
    assert.equal(lines.length, N);
    assert.match(lines[BURST_AT - 1], /No space left on device/);
    assert.doesNotMatch(lines[BURST_AT - 2], /No space left on device/);
    await Deno.writeTextFile(burstLog, lines.join("\n") + "\n");
    const otherLog = `${dir}/other.log`;
    await Deno.writeTextFile(otherLog, logLines(20, 1000).join("\n") + "\n");
    const output = `${dir}/incidents.jsonl`;
    await runIncidents({ input: burstLog, format: "windows", output });
    const all = (await Deno.readTextFile(output)).trim().split("\n").map((l) =>
      JSON.parse(l) as OfflineIncident
    );
    const holding = all.filter((i) => i.detector === "severity" && i.lineIds.includes(BURST_AT));
    assert.equal(holding.length, 1, `CLI severity incidents of the burst: ${JSON.stringify(holding)}`);
    return { dir, burstLog, otherLog, cli: holding[0] };
  })();
}

/** A fresh topic, group, index prefix and S3 prefix for one test. */
async function testConfig(name: string, partitions: number): Promise<VigilConfig> {
  const kafka = await freshTopic(partitions, `incidents-${name}`);
  return parseConfig(
    { kafka: kafka.kafka, ...namespaceSettings(testNamespace("incidents")) },
    Deno.env.toObject(),
  );
}

/** An incident document with the version the hot tier stored it at. */
type StoredIncident = Incident & { _version: number };

/** Every incident document of the test's incidents index, with its stored version. */
async function storedIncidents(config: VigilConfig): Promise<StoredIncident[]> {
  const index = `${config.hot.url}/${config.hot.indexPrefix}-incidents`;
  await (await fetch(`${index}/_refresh`, { method: "POST" })).body?.cancel();
  const res = await fetch(`${index}/_search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ size: 1000, version: true, query: { match_all: {} } }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return (body.hits.hits as { _id: string; _version: number; _source: Incident }[]).map((h) => {
    assert.equal(h._id, h._source.id, "an incident document's _id is its incident id");
    return { ...h._source, _version: h._version };
  });
}

/**
 * The burst as the hot tier holds it: every burst line is one event of one template, all carrying the id of
 * the one incident of that template, and no other incident was opened by a burst line.
 * @returns that incident.
 */
async function burstIncident(config: VigilConfig, burstLog: string): Promise<StoredIncident> {
  const events = (await hotEvents(config)).filter((e) =>
    e.host === BURST_HOST && e.source === burstLog && e.lineNo >= BURST_AT && e.lineNo < BURST_AT + BURST
  );
  assert.deepEqual(events.map((e) => e.lineNo), BURST_LINES, "every burst line is one event");
  const templates = new Set(events.map((e) => e.templateId));
  assert.equal(templates.size, 1, `burst templates: ${[...templates]}`);
  const [templateId] = templates;
  const incidents = await storedIncidents(config);
  const burstEventIds = new Set(events.map((e) => e.id));
  const ofBurst = incidents.filter((i) =>
    i.templateId === templateId || (i.samples.length > 0 && burstEventIds.has(i.samples[0].eventId))
  );
  assert.equal(
    ofBurst.length,
    1,
    `incidents of the burst's template or opened by a burst line: ${
      JSON.stringify(
        ofBurst.map((i) => ({ id: i.id, key: i.key, count: i.count, first: i.samples[0]?.lineNo })),
      )
    }`,
  );
  const incident = ofBurst[0];
  assert.equal(incident.detector, "severity");
  assert.equal(incident.severity, "CRITICAL_ANOMALY");
  assert.equal(incident.templateId, templateId);
  assert.equal(incident.samples[0].lineNo, BURST_AT, "opened by the burst's first line");
  assert.ok(incident.count >= BURST, `count ${incident.count}`);
  assert.deepEqual(incident.hosts, [BURST_HOST]);
  const elsewhere = events.filter((e) =>
    e.incidentId !== incident.id || e.classification !== "CRITICAL_ANOMALY"
  );
  assert.deepEqual(
    elsewhere.map((e) => `${e.lineNo}: ${e.classification} ${e.incidentId}`),
    [],
    `burst events not labelled with incident ${incident.id}`,
  );
  return incident;
}

/** Resolves once an engine consumed at least `n` events and both tiers acknowledged all of them. */
function drained(engine: EngineProcess, n: number, what: string): Promise<void> {
  return until(
    () => (engine.status?.hot ?? 0) >= n && (engine.status?.cold ?? 0) >= n && engine.status?.inFlight === 0,
    { what: `${what}: ${n} events delivered to both tiers`, deadlineMs: 90_000, pollMs: 250 },
  );
}

/**
 * An engine process on the test's topic with its own data dir (detection state), a short group session (a
 * killed member's partitions move after 6 s) and `extra` settings.
 */
function startEngine(
  config: VigilConfig,
  dataDir: string,
  extra: Record<string, string> = {},
): EngineProcess {
  return new EngineProcess(engineEnv(config, {
    VIGIL_CLASSIFIER_DATA_DIR: dataDir,
    VIGIL_DELIVERY_SESSION_TIMEOUT_MS: "6000",
    ...extra,
  }));
}

function produce(config: VigilConfig, input: string, host: string) {
  return runProducer(config, { input, format: "windows", topic: config.kafka.topic, host });
}

async function cleanup(config: VigilConfig, engines: EngineProcess[], dirs: string[]): Promise<void> {
  for (const e of engines) await e.kill9();
  await dropTiers(config);
  await dropTopic(config);
  for (const d of dirs) await Deno.remove(d, { recursive: true }).catch(() => {});
}

Deno.test({
  ...opts,
  name: "incidents e2e: one engine → the burst is one CRITICAL severity incident = the incidents CLI's; " +
    "kill -9 before any commit, replay by the same and by a fresh engine → still that one document",
  fn: async () => {
    const { burstLog, cli } = await prepareInputs();
    const config = await testConfig("replay", 2);
    const engines: EngineProcess[] = [];
    const dataDir = await Deno.makeTempDir({ prefix: "vigil-inc-a-" });
    const freshDir = await Deno.makeTempDir({ prefix: "vigil-inc-b-" });
    try {
      // No commit before the crash (the interval is longer than the test); detection state saved after every batch.
      const first = startEngine(config, dataDir, {
        VIGIL_DELIVERY_COMMIT_INTERVAL_MS: "600000",
        VIGIL_CLASSIFIER_STATE_SAVE_INTERVAL_MS: "1",
      });
      engines.push(first);
      await first.ready();
      await until(() => first.status?.assigned === 2, {
        what: "partition assignment",
        deadlineMs: 30_000,
        pollMs: 250,
      });
      assert.equal((await produce(config, burstLog, BURST_HOST)).acked, N);
      await drained(first, N, "first engine");

      const incident = await burstIncident(config, burstLog);
      assert.equal(incident.id, cli.id, "the engine's incident id is the incidents CLI's");
      assert.equal(incident.count, cli.count, "the engine's count is the incidents CLI's");
      assert.equal(incident.count, BURST);

      // The crash: the burst is delivered and in the saved detection state, no offset is committed.
      const statePath = `${dataDir}/incident_state.json`;
      await until(async () => (await Deno.readTextFile(statePath).catch(() => "")).includes(incident.id), {
        what: "the incident in the saved detection state",
        deadlineMs: 10_000,
        pollMs: 250,
      });
      assert.deepEqual(await committedOffsets(config), ["-1", "-1"], "nothing committed before the crash");
      await first.kill9();

      // The same engine restarts (same group: the whole topic again, same data dir: the saved state), and a
      // fresh engine (own group, empty data dir) reads the whole topic too.
      const restarted = startEngine(config, dataDir);
      const fresh = startEngine(config, freshDir, { VIGIL_KAFKA_GROUP_ID: `${config.kafka.groupId}-fresh` });
      engines.push(restarted, fresh);
      await Promise.all([restarted.ready(), fresh.ready()]);
      await Promise.all([drained(restarted, N, "restarted engine"), drained(fresh, N, "fresh engine")]);
      assert.equal((await hotCount(config)).total, N, "events are idempotent too");

      const after = await burstIncident(config, burstLog);
      assert.equal(after.id, incident.id, "the replays wrote the same incident");
      assert.ok(after._version >= incident._version, "a stale replayed version never replaced a newer one");
    } finally {
      await cleanup(config, engines, [dataDir, freshDir]);
    }
  },
});

Deno.test({
  ...opts,
  name: "incidents e2e: two engines of one consumer group (own data dirs) over 2 partitions → one incident",
  fn: async () => {
    const { burstLog, otherLog, cli } = await prepareInputs();
    const config = await testConfig("group", 2);
    const engines: EngineProcess[] = [];
    const dirs = [
      await Deno.makeTempDir({ prefix: "vigil-inc-a-" }),
      await Deno.makeTempDir({ prefix: "vigil-inc-b-" }),
    ];
    try {
      const [a, b] = dirs.map((d) => startEngine(config, d));
      engines.push(a, b);
      await Promise.all([a.ready(), b.ready()]);
      await until(() => a.status?.assigned === 1 && b.status?.assigned === 1, {
        what: "one partition per engine",
        deadlineMs: 30_000,
        pollMs: 250,
      });
      // Two hosts, whose host|component keys spread over the two partitions. Not three: a new-pattern incident
      // seen on three hosts turns CRITICAL, ordinary CBS lines open one on clean traffic, and it then competes with
      // the burst's severity incident for the burst's first line (a detection matter, reported, not this test's).
      const produced = await Promise.all([
        produce(config, burstLog, BURST_HOST),
        produce(config, otherLog, "win-other"),
      ]);
      const total = produced.reduce((n, p) => n + p.acked, 0);
      assert.equal(total, N + 1000);
      await until(async () =>
        (await hotCount(config)).total >= total && a.status?.inFlight === 0 &&
        b.status?.inFlight === 0, { what: `${total} events delivered`, deadlineMs: 90_000, pollMs: 250 });
      assert.ok((a.status?.hot ?? 0) > 0 && (b.status?.hot ?? 0) > 0, "both engines delivered events");

      const incident = await burstIncident(config, burstLog);
      assert.equal(incident.id, cli.id, "the incidents CLI's id");
      assert.equal(incident.count, BURST);
    } finally {
      await cleanup(config, engines, dirs);
    }
  },
});

/**
 * How the engine that read the first half of the burst makes way for the one that reads the rest. Detection
 * state lives in one engine's data dir and is saved every `classifier.stateSaveIntervalMs` (60 s) and at stop,
 * while offsets commit every second: the crash and hand-over cases check that the episode still stays one incident
 * when the engine reading the rest does not have the state of its first half.
 */
const RESTARTS = [
  { name: "a graceful restart with the same data dir", crash: false, sameDataDir: true },
  { name: "a kill -9 after the commit, restart with the same data dir", crash: true, sameDataDir: true },
  { name: "a hand-over to another engine of the group (own data dir)", crash: false, sameDataDir: false },
] as const;

for (const restart of RESTARTS) {
  Deno.test({
    ...opts,
    name: `incidents e2e: ${restart.name} in the middle of the burst → the rest continues the one incident`,
    fn: async () => {
      const { dir, burstLog } = await prepareInputs();
      const config = await testConfig("midburst", 2);
      const engines: EngineProcess[] = [];
      const dirs = [
        await Deno.makeTempDir({ prefix: "vigil-inc-a-" }),
        await Deno.makeTempDir({ prefix: "vigil-inc-b-" }),
      ];
      // The producer follows a file that first ends in the middle of the burst, then gets the rest.
      const followed = `${dir}/midburst-${crypto.randomUUID().slice(0, 8)}.log`;
      const lines = (await Deno.readTextFile(burstLog)).trimEnd().split("\n");
      const split = BURST_AT + BURST / 2 - 1;
      await Deno.writeTextFile(followed, lines.slice(0, split).join("\n") + "\n");
      const stopProducing = new AbortController();
      let producing: ReturnType<typeof runProducer> | undefined;
      try {
        // Engines with the product's state-save period (60 s): what a crash loses is what it would lose.
        const first = startEngine(config, dirs[0]);
        engines.push(first);
        await first.ready();
        await until(() => first.status?.assigned === 2, {
          what: "partition assignment",
          deadlineMs: 30_000,
          pollMs: 250,
        });
        producing = runProducer(config, {
          input: followed,
          follow: true,
          format: "windows",
          topic: config.kafka.topic,
          host: BURST_HOST,
          signal: stopProducing.signal,
        });
        await drained(first, split, "first engine");
        await until(
          async () =>
            (await committedOffsets(config)).reduce((n, o) => n + Math.max(0, Number(o)), 0) === split,
          {
            what: `offsets committed up to the middle of the burst (${split} events)`,
            deadlineMs: 30_000,
            pollMs: 250,
          },
        );
        const before = (await storedIncidents(config)).filter((i) => i.detector === "severity");
        assert.equal(before.length, 1, JSON.stringify(before));
        assert.equal(before[0].count, split - BURST_AT + 1, "the first half of the burst");
        if (restart.crash) await first.kill9();
        else assert.equal((await first.stop()).code, 0, first.stderr);

        const second = startEngine(config, dirs[restart.sameDataDir ? 0 : 1]);
        engines.push(second);
        await second.ready();
        await until(() => second.status?.assigned === 2, {
          what: "partition assignment",
          deadlineMs: 30_000,
          pollMs: 250,
        });
        await Deno.writeTextFile(followed, lines.slice(split).join("\n") + "\n", { append: true });
        await drained(second, N - split, "second engine");
        stopProducing.abort();
        assert.equal((await producing).acked, N);
        assert.equal((await hotCount(config)).total, N);

        const incident = await burstIncident(config, followed);
        assert.equal(incident.id, before[0].id, "the rest of the burst continued the incident");
        assert.equal(incident.count, BURST, "every burst line counted once");
      } finally {
        stopProducing.abort();
        await producing?.catch(() => {});
        await cleanup(config, engines, dirs);
        await Deno.remove(followed).catch(() => {});
      }
    },
  });
}
