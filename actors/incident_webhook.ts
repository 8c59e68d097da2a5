/**
 * IncidentWebhook: the adapter that tells the world about incidents — one JSON POST when an incident opens,
 * escalates (ANOMALY → CRITICAL_ANOMALY) and resolves.
 *
 * A failing receiver must never slow the pipeline, so {@link IncidentWebhook.offer} only decides and enqueues
 * (synchronously, never throwing); one background loop sends, one notification at a time so a receiver sees an
 * incident's notifications in order. The queue is bounded and drops its oldest notification when full
 * (counted): a receiver that is down for long loses the oldest news, never the engine's throughput.
 *
 * Delivery is at least once: each request carries `Idempotency-Key: <incident id>:<kind>`, so a receiver that
 * honours it sees each notification once even when a retry follows a response that was lost. 5xx, 429, 408,
 * 409 (a request with the same key still in progress, per the idempotency-key draft), network errors and
 * timeouts are retried with exponential backoff and full jitter (the one {@link retry} helper); other
 * 4xx are given up at once.
 *
 * @module
 */
import type { VigilConfig } from "../lib/config/vigil_config.ts";
import type { Incident } from "../lib/incidents/incident.ts";
import { retry, RetryError } from "../lib/timing/retry.ts";
import { redactSecrets, redactUrl } from "../lib/config/redact_secrets.ts";
import { BoundedFrameQueue } from "../lib/web/bounded_frame_queue.ts";
import { isRetryableStatus } from "./hot_sink/retry_logic.ts";
import { jsonLogger, type Logger } from "../engine/logger.ts";
import { countEvictions } from "../engine/eviction_tally.ts";
import {
  type IncidentNotification,
  type IncidentNotificationKind,
  type IncidentWebhookFormat,
  webhookBody,
} from "./incident_webhook_body.ts";

/** Options of {@link IncidentWebhook}. */
export interface IncidentWebhookOptions {
  /** Where to POST. */
  url: string;
  /** Payload format. Default `"generic"`. */
  format?: IncidentWebhookFormat;
  /** Per-request timeout, ms. Default 5 000. */
  timeoutMs?: number;
  /** Notifications waiting to be sent before the oldest are dropped. Default 1 000. */
  queueCapacity?: number;
  /** Most attempts per notification (the first included). Default 8. */
  maxAttempts?: number;
  /** Backoff cap of the first retry; doubles each retry. Default 500 ms. */
  retryInitialBackoffMs?: number;
  /** Largest backoff cap. Default 30 000 ms. */
  retryMaxBackoffMs?: number;
  /** Incidents whose last notification is remembered (oldest forgotten first). Default 10 000. */
  memoryCapacity?: number;
  /** Uniform random source in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Warned of each notable event (the first rejection, the first give-up). Default: JSON lines on stderr. */
  logger?: Logger;
}

/** Counters of the webhook. */
export interface IncidentWebhookStats {
  /** Notifications enqueued since start. */
  notified: number;
  /** Notifications waiting in the queue now. */
  queued: number;
  /** 1 while a notification is being sent (or waiting for its retry), else 0. */
  inFlight: number;
  /** Notifications the receiver accepted (2xx). */
  sent: number;
  /** Requests sent again after a transient failure. */
  retries: number;
  /** Requests that timed out. */
  timeouts: number;
  /** Notifications the receiver refused with a non-retryable 4xx (not retried). */
  rejected: number;
  /** Notifications given up after `maxAttempts` transient failures. */
  failed: number;
  /** Notifications dropped unsent: the oldest when the queue was full, and any offered after close. */
  dropped: number;
  /** Notifications still queued or in flight when `close` hit its deadline. */
  abandoned: number;
  /**
   * Incidents whose last notification is remembered now (at most `memoryCapacity`; each one forgotten is
   * counted in `vigil_evictions_total{map="webhook_notified"}`).
   */
  remembered: number;
  /** The last failure seen, if any. */
  lastError?: string;
}

/** What was last notified for one incident. */
interface Notified {
  version: number;
  severity: Incident["severity"];
  resolved: boolean;
}

/** The notification `incident` makes due after `last` (what was sent before for its id), if any. */
function dueNotification(
  last: Notified | undefined,
  incident: Incident,
): IncidentNotificationKind | undefined {
  const resolved = incident.status === "resolved";
  if (last === undefined) {
    // First sight of a resolved incident: it was opened before this process started (a restart), and its
    // receiver may hold it open. Muted ones were silenced by an operator: no news about them.
    if (resolved) return "resolved";
    return incident.status === "muted" ? undefined : "opened";
  }
  if (resolved) return last.resolved ? undefined : "resolved";
  if (incident.status === "muted") return undefined;
  // Reopened (by an operator or the tracker): announced as opened again.
  if (last.resolved) return "opened";
  if (last.severity === "ANOMALY" && incident.severity === "CRITICAL_ANOMALY") return "escalated";
  return undefined;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(
      `Cannot create IncidentWebhook as ${name} must be a positive integer: current value is ${value}`,
    );
  }
  return value;
}

/** A POST that got no 2xx: its status (0 = no response) decides whether it is tried again. */
class WebhookFailure extends Error {
  override name = "WebhookFailure";
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Sends incident notifications to a webhook; see the module doc. */
export class IncidentWebhook {
  readonly url: string;
  readonly format: IncidentWebhookFormat;
  #timeoutMs: number;
  #maxAttempts: number;
  #initialBackoffMs: number;
  #maxBackoffMs: number;
  #memoryCapacity: number;
  #random: () => number;
  #logger: Logger;
  #queue: BoundedFrameQueue<IncidentNotification>;
  #notified = new Map<string, Notified>();
  #abort = new AbortController();
  #closed = false;
  #closing?: Promise<void>;
  #inFlight = false;
  /** Notifications the loop finished (sent, refused, given up or abandoned). */
  #finished = 0;
  #idleWaiters: (() => void)[] = [];
  #loop: Promise<void>;
  // A receiver that refuses everything (a wrong URL) is reported once, not once per notification, until it
  // accepts one again.
  #rejectionLogged = false;
  #failureLogged = false;
  #stats = {
    notified: 0,
    sent: 0,
    retries: 0,
    timeouts: 0,
    rejected: 0,
    failed: 0,
    droppedAfterClose: 0,
    abandoned: 0,
    lastError: undefined as string | undefined,
  };

  /**
   * @throws {TypeError} when the URL is not an http(s) URL or the format is unknown
   * @throws {RangeError} when a number is not a positive integer
   */
  constructor(options: IncidentWebhookOptions) {
    const {
      url,
      format = "generic",
      timeoutMs = 5_000,
      queueCapacity = 1_000,
      maxAttempts = 8,
      retryInitialBackoffMs = 500,
      retryMaxBackoffMs = 30_000,
      memoryCapacity = 10_000,
    } = options;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new TypeError(
        `Cannot create IncidentWebhook as url must be an http(s) URL: current value is ${
          redactUrl(url, { hidePath: true })
        }`,
      );
    }
    if (format !== "generic" && format !== "slack") {
      throw new TypeError(
        `Cannot create IncidentWebhook as format must be "generic" or "slack": current value is ${format}`,
      );
    }
    this.url = url;
    this.format = format;
    this.#timeoutMs = positiveInt("timeoutMs", timeoutMs);
    this.#maxAttempts = positiveInt("maxAttempts", maxAttempts);
    this.#initialBackoffMs = positiveInt("retryInitialBackoffMs", retryInitialBackoffMs);
    this.#maxBackoffMs = positiveInt("retryMaxBackoffMs", retryMaxBackoffMs);
    this.#memoryCapacity = positiveInt("memoryCapacity", memoryCapacity);
    this.#queue = new BoundedFrameQueue(positiveInt("queueCapacity", queueCapacity));
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger ?? jsonLogger("info", { component: "incident_webhook" });
    this.#loop = this.#run();
  }

  /**
   * The webhook configured in `incidents.webhook*`, or `undefined` when `incidents.webhookUrl` is unset.
   *
   * @param config vigil's validated configuration
   * @param options collaborators and retry tuning (the config's keys win over the same keys here)
   */
  static fromConfig(
    config: VigilConfig,
    options: Omit<IncidentWebhookOptions, "url"> = {},
  ): IncidentWebhook | undefined {
    const { webhookUrl, webhookFormat, webhookTimeoutMs, webhookQueueCapacity, webhookMaxAttempts } =
      config.incidents;
    if (webhookUrl === undefined) return undefined;
    return new IncidentWebhook({
      ...options,
      url: webhookUrl,
      format: webhookFormat,
      timeoutMs: webhookTimeoutMs,
      queueCapacity: webhookQueueCapacity,
      maxAttempts: webhookMaxAttempts,
    });
  }

  /** A snapshot of the counters. */
  get stats(): IncidentWebhookStats {
    const { droppedAfterClose, lastError, ...counts } = this.#stats;
    return {
      ...counts,
      queued: this.#queue.size,
      inFlight: this.#inFlight ? 1 : 0,
      remembered: this.#notified.size,
      dropped: this.#queue.dropped + droppedAfterClose,
      ...(lastError === undefined ? {} : { lastError }),
    };
  }

  /**
   * Queues the notifications these incident documents make due (opened, escalated, resolved), judged against
   * what was last notified for each id; older versions than the last one seen are ignored. Never blocks and
   * never throws: a full queue drops its oldest notification.
   */
  offer(incidents: readonly Incident[]): void {
    try {
      for (const incident of incidents) {
        const last = this.#notified.get(incident.id);
        if (last !== undefined && incident.version <= last.version) continue;
        const kind = dueNotification(last, incident);
        this.#remember(incident, kind === undefined ? last : undefined);
        if (kind === undefined) continue;
        if (this.#closed) {
          this.#stats.droppedAfterClose++;
          continue;
        }
        this.#stats.notified++;
        this.#queue.push({ kind, incident });
      }
    } catch (err) {
      // A malformed document must not reach the pipeline as an exception; it is reported instead.
      this.#stats.lastError = `offer failed: ${(err as Error)?.message ?? String(err)}`;
    }
  }

  /**
   * Stops accepting notifications and waits until the queue is sent, or until `deadlineMs` has passed: then
   * the request in flight is aborted and what is left is counted in `abandoned`. Never throws.
   */
  close(deadlineMs = 5_000): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      if (!this.#idle()) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([
          new Promise<void>((resolve) => this.#idleWaiters.push(resolve)),
          new Promise<void>((resolve) => timer = setTimeout(resolve, deadlineMs)),
        ]);
        clearTimeout(timer);
      }
      this.#stats.abandoned += this.#queue.size;
      this.#abort.abort();
      this.#queue.close();
      await this.#loop;
    })();
    return this.#closing;
  }

  /**
   * Records what an incident's notifications now stand at, as the newest entry of the bounded memory.
   * `keepNotified` is the previous state when nothing was notified now (so a muted incident that escalates
   * is still escalated when unmuted); undefined otherwise.
   */
  #remember(incident: Incident, keepNotified: Notified | undefined): void {
    const base = keepNotified ?? {
      severity: incident.severity,
      resolved: incident.status === "resolved",
    };
    this.#notified.delete(incident.id);
    this.#notified.set(incident.id, { ...base, version: incident.version });
    if (this.#notified.size > this.#memoryCapacity) {
      this.#notified.delete(this.#notified.keys().next().value!);
      countEvictions("webhook_notified");
    }
  }

  async #run(): Promise<void> {
    for (;;) {
      const notification = await this.#queue.next(this.#abort.signal);
      if (notification === undefined) return;
      this.#inFlight = true;
      try {
        await this.#deliver(notification);
      } catch (err) {
        // #deliver handles its failures; this only keeps the loop alive through a bug.
        this.#stats.lastError = `delivery loop: ${(err as Error)?.message ?? String(err)}`;
      } finally {
        this.#inFlight = false;
        this.#finished++;
      }
      if (this.#idle()) { for (const resolve of this.#idleWaiters.splice(0)) resolve(); }
    }
  }

  /**
   * Whether every accepted notification is finished. Counted rather than read off the queue: a notification
   * handed straight to the waiting loop is in neither the queue nor flight until the loop resumes.
   */
  #idle(): boolean {
    return this.#stats.notified - this.#queue.dropped === this.#finished;
  }

  async #deliver(notification: IncidentNotification): Promise<void> {
    const { kind, incident } = notification;
    const what = `${kind} notification of ${incident.id}`;
    const body = webhookBody(notification, this.format);
    const headers = {
      "Content-Type": "application/json",
      "Idempotency-Key": `${incident.id}:${kind}`,
    };
    try {
      await retry(async () => {
        const result = await this.#post(body, headers);
        if (result.status >= 200 && result.status < 300) return;
        this.#stats.lastError = `${what}: ${result.error}`;
        throw new WebhookFailure(result.status, result.error);
      }, {
        maxAttempts: this.#maxAttempts,
        initialBackoffMs: this.#initialBackoffMs,
        maxBackoffMs: this.#maxBackoffMs,
        random: this.#random,
        isRetriable: (err) => err instanceof WebhookFailure && isRetryableStatus(err.status),
        onRetry: () => this.#stats.retries++,
        signal: this.#abort.signal,
      });
      this.#stats.sent++;
      this.#rejectionLogged = false;
      this.#failureLogged = false;
    } catch (err) {
      if (this.#abort.signal.aborted) {
        this.#stats.abandoned++;
      } else if (err instanceof RetryError) {
        this.#stats.failed++;
        if (!this.#failureLogged) {
          this.#failureLogged = true;
          this.#logger.warn(
            `gave up the ${what} after ${err.attempts} attempts (${
              (err.cause as Error).message
            }); later give-ups only counted`,
          );
        }
      } else {
        this.#stats.rejected++;
        if (!this.#rejectionLogged) {
          this.#rejectionLogged = true;
          this.#logger.warn(
            `webhook refused the ${what} (${
              (err as Error).message
            }); not retried, later refusals only counted`,
          );
        }
      }
    }
  }

  /** One POST with its own timeout; never throws (status 0 = no response). */
  async #post(body: string, headers: Record<string, string>): Promise<{ status: number; error: string }> {
    const request = new AbortController();
    const onClose = () => request.abort(new DOMException("webhook closed", "AbortError"));
    this.#abort.signal.addEventListener("abort", onClose, { once: true });
    const timer = setTimeout(
      () => request.abort(new DOMException(`timed out after ${this.#timeoutMs} ms`, "TimeoutError")),
      this.#timeoutMs,
    );
    try {
      const response = await fetch(this.url, { method: "POST", headers, body, signal: request.signal });
      // The body of an error answer explains it; a success's body is not needed (but must be consumed).
      let text = "";
      if (response.ok) await response.body?.cancel();
      else text = await response.text();
      // A refusal may echo the request line back, and with it the webhook's credential path.
      const shown = redactSecrets(text.slice(0, 200), [this.url]);
      return { status: response.status, error: `status ${response.status}${shown ? `: ${shown}` : ""}` };
    } catch (err) {
      const reason = request.signal.aborted ? request.signal.reason : err;
      if ((reason as Error)?.name === "TimeoutError") this.#stats.timeouts++;
      // Fetch errors may quote the URL, and a webhook's path is often its credential (Slack, Teams).
      const message = redactSecrets((reason as Error)?.message ?? String(reason), [this.url]);
      return { status: 0, error: `no response: ${message}` };
    } finally {
      clearTimeout(timer);
      this.#abort.signal.removeEventListener("abort", onClose);
    }
  }
}
