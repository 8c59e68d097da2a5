/**
 * The wire format of a dead letter on the `<topic>.dlq` topic: a JSON envelope (pure encode/decode).
 *
 * ```json
 * { "v": 1, "reason": "...", "stage": "hot_sink", "ts": "2026-11-29T04:00:00.000Z",
 *   "kafka": { "topic": "vigil.events", "partition": 2, "offset": "1234" },
 *   "original": "<base64 of the original bytes>", "originalText": "<the same as text, when valid UTF-8>",
 *   "key": "<original key as text, when there was one>" }
 * ```
 * `original` keeps the exact bytes (even binary or invalid UTF-8); `originalText` is there for people reading
 * the topic.
 *
 * @module
 */
import { DEAD_LETTER_STAGES, type DeadLetterRecord, type DeadLetterStage } from "./dead_letter_record.ts";

/** Version of the envelope format. */
export const DEAD_LETTER_ENVELOPE_VERSION = 1;

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Encodes a dead letter as the JSON value of a DLQ message. */
export function encodeDeadLetter(record: DeadLetterRecord): string {
  let originalText: string | undefined;
  try {
    originalText = strictUtf8.decode(record.original);
  } catch {
    originalText = undefined; // not UTF-8: only the base64 form is kept
  }
  return JSON.stringify({
    v: DEAD_LETTER_ENVELOPE_VERSION,
    reason: record.reason,
    stage: record.stage,
    ts: record.ts,
    kafka: record.kafka,
    original: toBase64(record.original),
    originalText,
    key: record.key === undefined ? undefined : new TextDecoder().decode(record.key),
  });
}

/**
 * Decodes the JSON value of a DLQ message.
 *
 * @throws {TypeError} when the value is not a dead-letter envelope
 */
export function decodeDeadLetter(value: string): DeadLetterRecord {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new TypeError(`Cannot decode dead letter as the value is not JSON: ${(err as Error).message}`);
  }
  if (
    typeof parsed !== "object" || parsed === null || typeof parsed.original !== "string" ||
    typeof parsed.reason !== "string" || !DEAD_LETTER_STAGES.includes(parsed.stage as DeadLetterStage)
  ) {
    throw new TypeError("Cannot decode dead letter as the value lacks original, reason or a known stage");
  }
  return {
    original: fromBase64(parsed.original),
    reason: parsed.reason,
    stage: parsed.stage as DeadLetterStage,
    ts: typeof parsed.ts === "string" ? parsed.ts : "",
    kafka: parsed.kafka as DeadLetterRecord["kafka"],
    key: typeof parsed.key === "string" ? new TextEncoder().encode(parsed.key) : undefined,
  };
}
