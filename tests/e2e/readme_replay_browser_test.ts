/**
 * The README's replay command, end to end, as a newcomer runs it (issue 18): exactly the `deno task start
 * --input … --format …` line the README gives, in its own test namespace (topic, indices, bucket prefix,
 * classifier data and port; nothing of the product's), then Chromium (Debian `chromium`, driven by
 * playwright-core) follows the dashboard URL `start` prints. The file's events must show on the Overview and
 * the Events page and its incidents in the incident feed — moving between pages by the navigation only, never
 * the time picker — and the Pipeline page must tell the events waiting for the cold flush apart from consumer
 * lag. Every wait has a deadline.
 *
 * Screenshots go to `.vigil/screenshots/readme-replay/`; with `VIGIL_UPDATE_SCREENSHOTS=1` they replace the
 * README's own in `static/screenshots/` (overview, events, incidents, pipeline).
 *
 * Needs `/usr/bin/chromium` (`apt-get install -y chromium`) and the shared Loghub files.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { assertChromium, launchChromium } from "../../testing/chromium.ts";
import { parseConfig } from "../../lib/config/vigil_config.ts";
import { textPieces } from "../../lib/streams/delimited_text_stream.ts";
import { formatCount } from "../../lib/web/components/format.ts";
import { namespaceEnv, testNamespace } from "../../testing/test_namespace.ts";
import { dropTestNamespace, testStackEndpoints } from "../../testing/drop_test_namespace.ts";
import { dropTopic } from "../../testing/kafka_test_topics.ts";
import { until } from "../../testing/until.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const SHOTS = Deno.env.get("VIGIL_UPDATE_SCREENSHOTS") === "1"
  ? `${REPO}static/screenshots/`
  : `${REPO}.vigil/screenshots/readme-replay/`;

/** The README's replay command: the first `deno task start --input … --format …` in backticks. */
async function readmeReplayArgs(): Promise<string[]> {
  const readme = await Deno.readTextFile(`${REPO}README.md`);
  const m = readme.match(/`deno task start (--input [^`]+)`/);
  assert.ok(m, "the README gives no `deno task start --input …` command");
  const args = m[1].trim().split(/\s+/);
  assert.ok(args.includes("--format"), `the README's replay command has no --format: ${m[0]}`);
  return args;
}

/** A port nobody listens on now. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** `deno task start …` with its printed lines collected. */
class StartProcess {
  readonly lines: string[] = [];
  stderr = "";
  readonly child: Deno.ChildProcess;
  constructor(args: string[], env: Record<string, string>) {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "start", ...args],
      cwd: REPO,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.child = child;
    (async () => {
      for await (const line of textPieces(child.stdout)) this.lines.push(line);
    })().catch(() => {});
    (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        this.stderr = (this.stderr + chunk).slice(-20_000);
      }
    })().catch(() => {});
  }

  /** The first printed line matching `pattern`, waited for until `deadlineMs`. */
  async line(pattern: RegExp, deadlineMs: number, what: string): Promise<RegExpMatchArray> {
    let found: RegExpMatchArray | null = null;
    await until(() => {
      for (const l of this.lines) if ((found = l.match(pattern))) return true;
      return false;
    }, {
      what: `${what} (start printed:\n${this.lines.slice(-15).join("\n")}\nstderr:\n${
        this.stderr.slice(-3000)
      })`,
      deadlineMs: deadlineMs,
      pollMs: 250,
    });
    return found!;
  }

  /** SIGTERM (deno task forwards it): the producer, engine, web server and lease stop in order. */
  async stop(deadlineMs: number): Promise<Deno.CommandStatus> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* already gone */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const status = await Promise.race([
      this.child.status,
      new Promise<undefined>((r) => timer = setTimeout(() => r(undefined), deadlineMs)),
    ]);
    clearTimeout(timer);
    if (status) return status;
    this.child.kill("SIGKILL");
    throw new Error(
      `start did not stop within ${deadlineMs / 1000} s of SIGTERM:\n${this.lines.slice(-10).join("\n")}`,
    );
  }
}

/** Documents in `<indexPrefix>-<kind>` indices. */
async function hotCount(hotUrl: string, pattern: string): Promise<number> {
  await (await fetch(`${hotUrl}/${pattern}/_refresh?ignore_unavailable=true`, { method: "POST" })).body
    ?.cancel();
  const res = await fetch(`${hotUrl}/${pattern}/_count?ignore_unavailable=true`);
  if (!res.ok) {
    await res.body?.cancel();
    return 0;
  }
  return ((await res.json()) as { count: number }).count;
}

/** Text of the first element matching `selector`, '' when absent. */
function textOf(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().textContent({ timeout: 1000 }).then(
    (t) => (t ?? "").trim(),
    () => "",
  );
}

Deno.test({
  name:
    "README replay command: the file's events on the Overview and Events pages and its incidents in the feed, " +
    "without touching the time picker",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await assertChromium();
    const args = await readmeReplayArgs();
    const input = args[args.indexOf("--input") + 1];
    await Deno.stat(`${REPO}${input}`).catch(() => {
      throw new Error(`the README's replay file ${input} is missing (relative to ${REPO})`);
    });

    const ns = testNamespace("readme");
    const topic = `test.readme.${ns.tag}`;
    const dataDir = await Deno.makeTempDir({ prefix: "vigil-readme-replay-" });
    const userDataDir = await Deno.makeTempDir({ prefix: "vigil-chromium-" });
    const port = freePort();
    const env = {
      ...Deno.env.toObject(),
      ...namespaceEnv(ns),
      VIGIL_KAFKA_TOPIC: topic,
      VIGIL_KAFKA_GROUP_ID: `group-${topic}`,
      VIGIL_WEB_PORT: String(port),
      VIGIL_CLASSIFIER_DATA_DIR: dataDir,
    };
    const stack = testStackEndpoints();
    const start = new StartProcess(args, env);
    let browser: BrowserContext | undefined;
    try {
      const [, dashboard] = await start.line(/^vigil: dashboard at (\S+)/, 240_000, "the dashboard URL");
      assert.equal(dashboard, `http://127.0.0.1:${port}/`);
      const [, delivered] = await start.line(
        /^vigil: ([\d,]+) events from .* delivered to Kafka/,
        180_000,
        "the file produced",
      );
      const n = Number(delivered.replaceAll(",", ""));
      assert.ok(n > 0);
      const [, seeThem] = await start.line(/^vigil: see them at (\S+)/, 5_000, "the URL of the file's range");
      assert.ok(seeThem.startsWith(dashboard), seeThem);
      // Everything the engine consumed is searchable before the browser looks (the hot tier flushes each second).
      await until(async () => await hotCount(stack.hot.url, `${ns.indexPrefix}-events-*`) >= n, {
        what: `${n} events in the hot tier`,
        deadlineMs: 180_000,
        pollMs: 250,
      });
      assert.equal(await hotCount(stack.hot.url, `${ns.indexPrefix}-events-*`), n);

      await Deno.mkdir(SHOTS, { recursive: true });
      browser = await launchChromium(userDataDir);
      const page = browser.pages()[0] ?? await browser.newPage();
      const problems: string[] = [];
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));

      // Overview, opened from the URL start printed: every event of the file is in the window.
      await page.goto(seeThem);
      await page.waitForSelector('.chart-box[data-chart="classification"][data-ready="true"]', {
        timeout: 15_000,
      });
      assert.equal(
        await textOf(page, '[data-kpi="events"]'),
        formatCount(n),
        "Overview: events in the window",
      );
      assert.equal(
        await page.locator(".newest-data").count(),
        0,
        "the window holds the data: no hint needed",
      );
      await page.screenshot({ path: `${SHOTS}overview.png` });

      // Events, by the navigation: the same window, every event of the file.
      await page.locator('nav[aria-label="Main"] a', { hasText: "Events" }).click();
      await page.waitForURL(/\/events\?/, { timeout: 15_000 });
      await page.waitForSelector("[data-total]", { timeout: 15_000 });
      assert.equal(Number(await page.getAttribute("[data-total]", "data-total")), n, "Events: matching");
      assert.ok(await page.locator("table tbody tr").count() > 0, "Events: rows listed");
      await page.screenshot({ path: `${SHOTS}events.png` });

      // Incidents, by the navigation: the file's incidents (as many as the hot tier holds) in the feed.
      await page.locator('nav[aria-label="Main"] a', { hasText: "Incidents" }).click();
      await page.waitForURL(/\/anomalies\?/, { timeout: 15_000 });
      let stored = 0;
      await until(async () => {
        stored = await hotCount(stack.hot.url, `${ns.indexPrefix}-incidents`);
        if (stored > 0 && await page.locator(".incident").count() === stored) return true;
        await page.reload(); // an incident stored after the page loaded shows on the next load
        return false;
      }, { what: "one card per incident the hot tier holds", deadlineMs: 30_000, pollMs: 250 });
      const cards = await page.locator(".incident").allTextContents();
      assert.ok(
        cards.every((t) => /2016-09-2\d/.test(t)),
        `cards outside the file's dates: ${cards.join(" | ")}`,
      );
      await page.screenshot({ path: `${SHOTS}incidents.png` });

      // Pipeline: the file is consumed and waits for the cold tier's timed flush — no consumer lag.
      await page.locator('nav[aria-label="Main"] a', { hasText: "Pipeline" }).click();
      await page.waitForSelector('[data-delivery="cold-waiting"]', { timeout: 15_000 });
      await page.waitForFunction(
        () => document.querySelector('[data-delivery="consumer-lag"]')?.textContent?.trim() === "0",
        null,
        { timeout: 30_000 },
      );
      const waiting = Number(await textOf(page, '[data-delivery="cold-waiting"]'));
      const processing = Number(await textOf(page, '[data-delivery="processing"]'));
      const explained = await textOf(page, '[data-delivery="explained"]');
      if (waiting > 0) {
        // Within cold.timeoutMs (5 min) of the replay: every event consumed waits for the flush, none is lag.
        assert.equal(waiting + processing, n, explained);
        assert.match(explained, /^Waiting for the cold flush: [\d,]+ events?, next flush in ≤ \d+ s: /);
      } else {
        // A slow run that looked after the flush: both tiers hold everything.
        assert.match(explained, /^Every consumed event is in both tiers/);
      }
      await page.screenshot({ path: `${SHOTS}pipeline.png` });

      // Only the navigation was used: the window is still the one start printed.
      const chosen = new URL(page.url());
      const printed = new URL(seeThem);
      assert.equal(chosen.searchParams.get("range"), null, "the Pipeline page has no window");
      assert.equal(printed.searchParams.get("range"), "custom");
      assert.deepEqual(problems, []);

      await browser.close();
      browser = undefined;
      const stopped = await start.stop(90_000);
      assert.equal(
        stopped.code,
        0,
        `start exited with ${stopped.code}:\n${start.lines.slice(-10).join("\n")}`,
      );
      assert.ok(start.lines.includes("vigil: stopped"), start.lines.slice(-10).join("\n"));
    } finally {
      await browser?.close().catch(() => {});
      await start.stop(30_000).catch(() => {});
      await dropTestNamespace(ns, stack);
      await dropTopic(parseConfig({ kafka: { topic } }, Deno.env.toObject())).catch(() => {});
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
    }
  },
});
