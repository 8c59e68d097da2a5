import assert from "node:assert/strict";
import { IncidentWebhook } from "./incident_webhook.ts";
import { parseConfig } from "../lib/config/vigil_config.ts";
import { testIncident } from "../testing/incident_fixture.ts";
import { recordingLogger } from "../testing/recording_logger.ts";
import { until } from "../testing/until.ts";
import { evictionCount } from "../engine/eviction_tally.ts";

/** One request as the local receiver saw it. */
interface Received {
  key: string;
  contentType: string;
  /** The JSON body; `undefined` when the sender went away before it was read. */
  body: Record<string, unknown> | undefined;
}

/**
 * A real HTTP receiver on a free port. `answer` gets each request and the number of earlier requests with the
 * same idempotency key; `received` lists every request, `accepted` the keys answered 2xx.
 */
function receiver(answer: (request: Request, attemptsBefore: number) => Response | Promise<Response>) {
  const received: Received[] = [];
  const accepted: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const key = request.headers.get("idempotency-key") ?? "";
    const attemptsBefore = received.filter((r) => r.key === key).length;
    // Counted before the body is read: a sender that timed out may be gone by then (a busy machine), and the
    // attempt still happened.
    const entry: Received = { key, contentType: request.headers.get("content-type") ?? "", body: undefined };
    received.push(entry);
    entry.body = await request.json().catch(() => undefined);
    const response = await answer(request, attemptsBefore);
    if (response.ok) accepted.push(key);
    return response;
  });
  return { url: `http://127.0.0.1:${server.addr.port}/hook`, received, accepted, server };
}

const fast = { retryInitialBackoffMs: 5, retryMaxBackoffMs: 20, timeoutMs: 2_000 };

Deno.test("IncidentWebhook: open, escalate and resolve are each POSTed once with their idempotency keys", async () => {
  const hook = receiver(() => new Response(null, { status: 204 }));
  const webhook = new IncidentWebhook({ url: hook.url, ...fast });
  try {
    const v = (version: number, over: Parameters<typeof testIncident>[1] = {}) =>
      testIncident(1, { version, count: version, ...over });
    webhook.offer([v(1)]); // opened
    webhook.offer([v(2)]); // count grew: no news
    webhook.offer([v(3, { severity: "CRITICAL_ANOMALY" })]); // escalated
    webhook.offer([v(4, { severity: "CRITICAL_ANOMALY" }), v(2)]); // no news; a stale version is ignored
    webhook.offer([
      v(5, { severity: "CRITICAL_ANOMALY", status: "resolved", resolvedTs: "2016-09-28T04:40:00.000Z" }),
    ]);
    webhook.offer([v(4, { severity: "CRITICAL_ANOMALY" })]); // late, older than the resolve: ignored
    await webhook.close(5_000);
    const id = v(1).id;
    assert.deepEqual(hook.received.map((r) => r.key), [`${id}:opened`, `${id}:escalated`, `${id}:resolved`]);
    assert.ok(hook.received.every((r) => r.contentType === "application/json"));
    assert.deepEqual(hook.received.map((r) => r.body?.kind), ["opened", "escalated", "resolved"]);
    assert.deepEqual(hook.received[0].body?.incident, v(1), "generic: the incident document as it was");
    assert.deepEqual(
      hook.received.map((r) => (r.body?.incident as { version: number }).version),
      [1, 3, 5],
    );
    assert.deepEqual({ ...webhook.stats, lastError: undefined }, {
      notified: 3,
      queued: 0,
      inFlight: 0,
      sent: 3,
      retries: 0,
      timeouts: 0,
      rejected: 0,
      failed: 0,
      dropped: 0,
      abandoned: 0,
      remembered: 1,
      lastError: undefined,
    });
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook: first seen resolved → resolved (opened before a restart); muted → no news; reopened → opened", async () => {
  const hook = receiver(() => new Response("ok"));
  const webhook = new IncidentWebhook({ url: hook.url, ...fast });
  try {
    const resolved = { status: "resolved" as const, resolvedTs: "2016-09-28T05:00:00.000Z" };
    webhook.offer([testIncident(1, { version: 7, ...resolved })]);
    webhook.offer([testIncident(2, { status: "muted" })]);
    webhook.offer([testIncident(2, { version: 2, status: "muted", severity: "CRITICAL_ANOMALY" })]);
    webhook.offer([
      testIncident(3),
      testIncident(3, { version: 2, ...resolved }),
      testIncident(3, { version: 3 }),
    ]);
    await webhook.close(5_000);
    assert.deepEqual(hook.received.map((r) => r.key), [
      `${testIncident(1).id}:resolved`,
      `${testIncident(3).id}:opened`,
      `${testIncident(3).id}:resolved`,
      `${testIncident(3).id}:opened`,
    ]);
    assert.equal(webhook.stats.sent, 4);
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook: a receiver failing twice with 500 gets exactly one successful delivery per notification", async () => {
  const hook = receiver((_request, before) =>
    before < 2 ? new Response("overloaded", { status: 500 }) : new Response("ok")
  );
  const webhook = new IncidentWebhook({ url: hook.url, maxAttempts: 3, ...fast });
  try {
    webhook.offer([testIncident(1), testIncident(2), testIncident(3)]);
    webhook.offer([
      testIncident(2, { version: 2, status: "resolved", resolvedTs: "2016-09-28T05:00:00.000Z" }),
    ]);
    await webhook.close(10_000);
    const keys = [
      ...[1, 2, 3].map((n) => `${testIncident(n).id}:opened`),
      `${testIncident(2).id}:resolved`,
    ];
    assert.deepEqual(hook.accepted, keys, "one success per notification, in order");
    assert.equal(hook.received.length, 12, "three attempts each");
    assert.equal(webhook.stats.sent, 4);
    assert.equal(webhook.stats.retries, 8);
    assert.equal(webhook.stats.failed, 0);
    assert.match(webhook.stats.lastError ?? "", /status 500: overloaded/);
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook: a hanging receiver does not slow offer; the queue drops its oldest; the timeout fires", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  // Hangs until the test ends.
  const hook = receiver(async () => {
    await released;
    return new Response("too late");
  });
  const logger = recordingLogger();
  const logs = logger.messages;
  const webhook = new IncidentWebhook({
    url: hook.url,
    queueCapacity: 100,
    maxAttempts: 2,
    timeoutMs: 150,
    retryInitialBackoffMs: 5,
    retryMaxBackoffMs: 10,
    logger,
  });
  try {
    const incidents = Array.from({ length: 10_000 }, (_, i) => testIncident(i));
    for (const incident of incidents) webhook.offer([incident]);
    const afterOffers = webhook.stats;
    assert.equal(afterOffers.notified, 10_000);
    assert.equal(afterOffers.queued, 100, "the queue holds its capacity");
    // The first notification went straight to the sender; every other one beyond capacity was dropped.
    assert.equal(afterOffers.dropped, 10_000 - 100 - 1);
    const first = `${incidents[0].id}:opened`;
    await until(() => webhook.stats.failed === 1, {
      what: "the first notification to time out twice and be given up",
    });
    assert.ok(webhook.stats.timeouts >= 2);
    assert.equal(webhook.stats.retries, 1);
    assert.match(webhook.stats.lastError ?? "", /no response: timed out after 150 ms/);
    // The receiver side: the first notification came first and at most twice (its two attempts). How many of
    // the attempts it saw depends on the machine: a sender that timed out may be gone before it is accepted.
    assert.equal(hook.received[0]?.key, first, "the first notification was sent first");
    assert.ok(hook.received.filter((r) => r.key === first).length <= 2, "never more than its attempts");
    assert.equal(logs.length, 1, "the give-up is logged once");
    await webhook.close(50);
    const closed = webhook.stats;
    assert.ok(
      closed.abandoned >= 98,
      `queued notifications are abandoned at the deadline (${closed.abandoned})`,
    );
    assert.equal(closed.queued, 0);
    assert.equal(closed.inFlight, 0);
    assert.equal(
      closed.sent + closed.failed + closed.rejected + closed.abandoned + closed.dropped,
      10_000,
      "every notification is accounted for",
    );
    webhook.offer([testIncident(20_000)]);
    assert.equal(webhook.stats.dropped, closed.dropped + 1, "after close, offers are dropped and counted");
  } finally {
    await webhook.close(0);
    release();
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook: a 400 is not retried and is logged once", async () => {
  const hook = receiver(() => new Response("bad payload", { status: 400 }));
  const logger = recordingLogger();
  const logs = logger.messages;
  const webhook = new IncidentWebhook({ url: hook.url, maxAttempts: 5, logger, ...fast });
  try {
    webhook.offer([testIncident(1), testIncident(2)]);
    await webhook.close(5_000);
    assert.equal(hook.received.length, 2, "one attempt each");
    assert.equal(webhook.stats.rejected, 2);
    assert.equal(webhook.stats.retries, 0);
    assert.equal(webhook.stats.sent, 0);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /refused the opened notification of inc-.*status 400: bad payload.*not retried/);
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook slack format: a {text, blocks} summary with severity, title, count, hosts, times, reasons", async () => {
  const hook = receiver(() => new Response("ok"));
  const webhook = new IncidentWebhook({ url: hook.url, format: "slack", ...fast });
  try {
    const incident = testIncident(1, {
      severity: "CRITICAL_ANOMALY",
      title: "x".repeat(300),
      template: "disk <*> failed & <*>",
      hosts: ["node-7", "node-9"],
      count: 1_500,
      reasons: ["fatal level", "page-worthy: disk failure <sda>"],
    });
    webhook.offer([incident]);
    await webhook.close(5_000);
    assert.equal(hook.received.length, 1);
    const body = hook.received[0].body as { text: string; blocks: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(body).sort(), ["blocks", "text"]);
    assert.match(body.text, /^\[CRITICAL\] Opened: x+/);
    const [header, summary, reasons, context] = body.blocks as {
      type: string;
      text?: { type: string; text: string };
      fields?: { type: string; text: string }[];
      elements?: { type: string; text: string }[];
    }[];
    assert.equal(header.type, "header");
    assert.equal(header.text?.type, "plain_text");
    assert.ok((header.text?.text.length ?? 0) <= 150, "Slack's header limit");
    assert.equal(summary.type, "section");
    const fields = Object.fromEntries(summary.fields!.map((f) => f.text.split("\n")));
    assert.match(fields["*Severity*"], /CRITICAL/);
    assert.equal(fields["*Events*"], "1500");
    assert.equal(fields["*Hosts*"], "node-7, node-9");
    assert.equal(fields["*First*"], incident.firstTs);
    assert.equal(fields["*Last*"], incident.lastTs);
    assert.ok(summary.fields!.every((f) => f.type === "mrkdwn"));
    assert.equal(reasons.type, "section");
    assert.equal(reasons.text?.text, "*Reasons:* fatal level · page-worthy: disk failure &lt;sda&gt;");
    assert.equal(context.type, "context");
    assert.match(context.elements![0].text, new RegExp(`^${incident.id} · severity · open$`));
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});

Deno.test("IncidentWebhook.fromConfig: undefined without a URL; the config's keys otherwise", async () => {
  assert.equal(IncidentWebhook.fromConfig(parseConfig({})), undefined);
  const webhook = IncidentWebhook.fromConfig(
    parseConfig({ incidents: { webhookUrl: "http://127.0.0.1:9/hook", webhookFormat: "slack" } }),
  );
  assert.ok(webhook instanceof IncidentWebhook);
  assert.equal(webhook.url, "http://127.0.0.1:9/hook");
  assert.equal(webhook.format, "slack");
  await webhook.close(0);
  assert.throws(() => new IncidentWebhook({ url: "ftp://example/hook" }), TypeError);
  assert.throws(() => new IncidentWebhook({ url: "http://127.0.0.1/", queueCapacity: 0 }), RangeError);
});

Deno.test("IncidentWebhook: a webhook URL whose path is its credential never appears in errors or logs", async () => {
  // A receiver that refuses and echoes the request line back, as proxies and frameworks do on a 404.
  const hook = receiver((request) =>
    new Response(`No route for POST ${new URL(request.url).pathname}`, { status: 404 })
  );
  const url = hook.url.replace(/\/hook$/, "/services/T000/B000/XyZwebhookSecret");
  const logger = recordingLogger();
  const webhook = new IncidentWebhook({ url, maxAttempts: 1, logger, ...fast });
  try {
    webhook.offer([testIncident(1)]);
    await until(() => webhook.stats.rejected === 1, { what: "the notification to be refused" });
    const shown = [webhook.stats.lastError ?? "", JSON.stringify(logger.lines)].join("\n");
    assert.match(shown, /status 404: No route for POST \/\*\*\*/);
    assert.ok(!shown.includes("XyZwebhookSecret"), shown);
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
  assert.throws(
    () => new IncidentWebhook({ url: "ftp://u:p@h/services/XyZwebhookSecret" }),
    (err: Error) => !err.message.includes("XyZwebhookSecret") && !err.message.includes("u:p@"),
  );
});

Deno.test("IncidentWebhook: the memory of notified incidents stays within memoryCapacity, each one forgotten tallied", async () => {
  const hook = receiver(() => new Response(null, { status: 204 }));
  const before = evictionCount("webhook_notified");
  const webhook = new IncidentWebhook({ url: hook.url, ...fast, memoryCapacity: 10 });
  try {
    for (let i = 1; i <= 25; i++) webhook.offer([testIncident(i, { version: 1 })]);
    assert.equal(webhook.stats.remembered, 10);
    assert.equal(evictionCount("webhook_notified") - before, 15);
    await webhook.close(5_000);
    assert.equal(hook.accepted.length, 25, "forgetting never drops a notification");
  } finally {
    await webhook.close(0);
    await hook.server.shutdown();
  }
});
