/**
 * What the incident webhook POSTs (pure: no I/O). `generic` sends the notification as it is, `{ kind, incident }`,
 * for receivers that keep their own state; `slack` sends a Slack-compatible `{ text, blocks }` message (an
 * incoming-webhook URL shows it as is; `text` is the fallback for notifications and clients without blocks).
 *
 * @module
 */
import type { Incident } from "../lib/incidents/incident.ts";

/** Why a notification is sent: the incident opened, went from ANOMALY to CRITICAL_ANOMALY, or resolved. */
export type IncidentNotificationKind = "opened" | "escalated" | "resolved";

/** One notification about one incident, at the version that made it due. */
export interface IncidentNotification {
  kind: IncidentNotificationKind;
  incident: Incident;
}

/** The payload formats a webhook can receive. */
export type IncidentWebhookFormat = "generic" | "slack";

// Slack's documented limits: header text 150 chars, section text 3000, a field 2000, at most 10 fields.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Escapes the three characters Slack's mrkdwn gives meaning to (templates carry `<*>`). */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const VERB: Record<IncidentNotificationKind, string> = {
  opened: "Opened",
  escalated: "Escalated to CRITICAL",
  resolved: "Resolved",
};

function severityLabel(incident: Incident): string {
  return incident.severity === "CRITICAL_ANOMALY" ? ":red_circle: CRITICAL" : ":large_orange_circle: ANOMALY";
}

/** A Slack-compatible message summarising a notification: severity, title, count, hosts, times, reasons. */
export function slackMessage({ kind, incident }: IncidentNotification): { text: string; blocks: unknown[] } {
  const severity = incident.severity === "CRITICAL_ANOMALY" ? "CRITICAL" : "ANOMALY";
  const hosts = incident.hosts.length > 0 ? incident.hosts.join(", ") : incident.host;
  const field = (label: string, value: string) => ({
    type: "mrkdwn",
    text: clip(`*${label}*\n${escapeMrkdwn(value)}`, FIELD_MAX),
  });
  const reasons = incident.reasons.length > 0 ? incident.reasons.join(" · ") : "(none given)";
  return {
    text: clip(`[${severity}] ${VERB[kind]}: ${incident.title}`, SECTION_MAX),
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: clip(`${VERB[kind]}: ${incident.title}`, HEADER_MAX), emoji: true },
      },
      {
        type: "section",
        fields: [
          field("Severity", severityLabel(incident)),
          field("Events", String(incident.count)),
          field("Hosts", hosts),
          field("Component", `${incident.system}/${incident.component}`),
          field("First", incident.firstTs),
          field("Last", incident.lastTs),
          ...(kind === "resolved" ? [field("Resolved", incident.resolvedTs)] : []),
        ],
      },
      {
        type: "section",
        text: { type: "mrkdwn", text: clip(`*Reasons:* ${escapeMrkdwn(reasons)}`, SECTION_MAX) },
      },
      {
        type: "context",
        elements: [{
          type: "mrkdwn",
          text: clip(escapeMrkdwn(`${incident.id} · ${incident.detector} · ${incident.status}`), FIELD_MAX),
        }],
      },
    ],
  };
}

/**
 * The JSON body of a notification in `format`.
 *
 * @example
 * ```ts ignore
 * import { webhookBody } from "./incident_webhook_body.ts";
 * import type { Incident } from "../lib/incidents/incident.ts";
 * declare const incident: Incident;
 * webhookBody({ kind: "opened", incident }, "generic"); // '{"kind":"opened","incident":{...}}'
 * ```
 */
export function webhookBody(notification: IncidentNotification, format: IncidentWebhookFormat): string {
  return JSON.stringify(format === "slack" ? slackMessage(notification) : notification);
}
